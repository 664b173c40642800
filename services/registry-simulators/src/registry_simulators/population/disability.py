"""Disability certificates from the medical-social expertise commission (MSE).

Some residents get a certificate during the period: group I, II or III for adults, CHILD
under 18. Some certificates are revoked later; some holders are re-examined and get a new
certificate that replaces the old one. Some children who hold a CHILD certificate turn 18
during the period, and some of them are then certified as adults. A few revocations name a
certificate issued before the period, which no file of ours contains. The commission only
works on weekdays.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from benefits_shared.clock import BAKU

from registry_simulators.population.events import next_weekday
from registry_simulators.population.people import Person, age_on, birthday
from registry_simulators.population.story import Story

_ANNUAL_RATE = 0.01
_TURNING_18_RATE = 0.05
_OLD_REVOCATION_RATE = 0.002
_REVOCATION_SHARE = 0.08
_REPLACEMENT_SHARE = 0.15
_ADULT_GROUPS = (("I", 15), ("II", 40), ("III", 45))


def certificates(rng: random.Random, story: Story, person: Person) -> None:
    share = story.share_of_year
    eighteen = birthday(person.birth_date, 18)
    if story.options.start <= eighteen < story.options.end and rng.random() < _TURNING_18_RATE:
        _child_turning_18(rng, story, person, eighteen)
    elif rng.random() < _ANNUAL_RATE * share:
        _course(rng, story, person)
    if rng.random() < _OLD_REVOCATION_RATE * share:
        _revoke(rng, story, person, None, story.day_in_period(rng))


@dataclass(frozen=True, slots=True)
class _Issue:
    """A certificate to issue on ``day`` (moved to the next weekday)."""

    day: date
    group: str
    ref: str | None = None  # set when a later revocation names it
    valid_from: date | None = None  # default: up to 30 days before the decision
    child_until: date | None = None  # a CHILD certificate's end; adults' end by group


def _course(rng: random.Random, story: Story, person: Person) -> None:
    """A certificate, then perhaps its revocation or a re-examination that replaces it."""
    issued = story.day_in_period(rng)
    revoked = rng.random() < _REVOCATION_SHARE
    ref = story.new_ref() if revoked else None
    if not _issue(rng, story, person, _Issue(issued, _group(rng, person, issued), ref)):
        return
    if revoked:
        _revoke(rng, story, person, ref, issued + timedelta(days=rng.randint(20, 200)))
    elif rng.random() < _REPLACEMENT_SHARE:
        again = issued + timedelta(days=rng.randint(60, 300))
        _issue(rng, story, person, _Issue(again, _group(rng, person, again)))


def _child_turning_18(rng: random.Random, story: Story, person: Person, eighteen: date) -> None:
    issued = max(story.options.start, eighteen - timedelta(days=rng.randint(31, 240)))
    until = eighteen if rng.random() < 0.5 else None
    if next_weekday(issued) >= eighteen:
        return
    child = _Issue(issued, "CHILD", child_until=until)
    if _issue(rng, story, person, child) and rng.random() < 0.5:
        again = eighteen + timedelta(days=rng.randint(0, 90))
        adult = _Issue(again, rng.choice(("II", "III")), valid_from=eighteen)
        _issue(rng, story, person, adult)


def _issue(rng: random.Random, story: Story, person: Person, issue: _Issue) -> bool:
    issued = next_weekday(issue.day)
    if issued >= story.options.end or not story.alive_on(person.pin, issued):
        return False
    valid_from = issue.valid_from or issued - timedelta(days=rng.randint(0, 30))
    if issue.group == "CHILD":
        valid_until = issue.child_until
    else:
        valid_until = _valid_until(rng, issue.group, valid_from)
    body = _row(
        person.pin,
        "ISSUED",
        issued,
        group=issue.group,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    return story.emit(_at(issued), "mse", {**body, "ref": issue.ref} if issue.ref else body)


def _revoke(
    rng: random.Random, story: Story, person: Person, target: str | None, day: date
) -> None:
    issued = next_weekday(day)
    effective = issued + timedelta(days=rng.randint(0, 30))
    body = _row(person.pin, "REVOKED", issued, effective_from=effective)
    story.emit(_at(issued), "mse", {**body, "target": target})


def _row(pin: str, decision: str, issued: date, **dates: Any) -> dict[str, Any]:
    """A row in the commission's column order; ``certificate_no`` is given in time order."""
    row: dict[str, Any] = {
        "certificate_no": None,
        "pin": pin,
        "decision": decision,
        "group": dates.pop("group", ""),
    }
    for field in ("valid_from", "valid_until", "effective_from"):
        value = dates.get(field)
        row[field] = value.isoformat() if value else None
    row["issued_at"] = issued.isoformat()
    return row


def _valid_until(rng: random.Random, group: str, valid_from: date) -> date | None:
    if group == "I" and rng.random() < 0.4:
        return None
    years = 2 if group == "I" or rng.random() < 0.2 else 1
    return valid_from.replace(year=valid_from.year + years, day=min(valid_from.day, 28))


def _group(rng: random.Random, person: Person, day: date) -> str:
    if age_on(person.birth_date, day) < 18:
        return "CHILD"
    return rng.choices([g for g, _ in _ADULT_GROUPS], [w for _, w in _ADULT_GROUPS])[0]


def _at(issued: date) -> datetime:
    return datetime.combine(issued, time(16, 0), BAKU)
