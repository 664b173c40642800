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
    share = story.options.days / 365.0
    eighteen = birthday(person.birth_date, 18)
    if story.options.start <= eighteen < story.options.end and rng.random() < _TURNING_18_RATE:
        _child_turning_18(rng, story, person, eighteen)
    elif rng.random() < _ANNUAL_RATE * share:
        _course(rng, story, person)
    if rng.random() < _OLD_REVOCATION_RATE * share:
        _revoke(rng, story, person, None, _day_in_period(rng, story))


def _course(rng: random.Random, story: Story, person: Person) -> None:
    """A certificate, then perhaps its revocation or a re-examination that replaces it."""
    issued = _day_in_period(rng, story)
    revoked = rng.random() < _REVOCATION_SHARE
    ref = story.new_ref() if revoked else None
    group = "CHILD" if age_on(person.birth_date, issued) < 18 else _adult_group(rng)
    if not _issue(rng, story, person, issued, group, ref):
        return
    if revoked:
        _revoke(rng, story, person, ref, issued + timedelta(days=rng.randint(20, 200)))
    elif rng.random() < _REPLACEMENT_SHARE:
        again = issued + timedelta(days=rng.randint(60, 300))
        group = "CHILD" if age_on(person.birth_date, again) < 18 else _adult_group(rng)
        _issue(rng, story, person, again, group, None)


def _child_turning_18(rng: random.Random, story: Story, person: Person, eighteen: date) -> None:
    issued = max(story.options.start, eighteen - timedelta(days=rng.randint(31, 240)))
    until = eighteen if rng.random() < 0.5 else None
    if next_weekday(issued) >= eighteen:
        return
    if _issue(rng, story, person, issued, "CHILD", None, until) and rng.random() < 0.5:
        again = eighteen + timedelta(days=rng.randint(0, 90))
        _issue(rng, story, person, again, rng.choice(("II", "III")), None, eighteen=eighteen)


def _issue(
    rng: random.Random,
    story: Story,
    person: Person,
    day: date,
    group: str,
    ref: str | None,
    until: date | None = None,
    eighteen: date | None = None,
) -> bool:
    issued = next_weekday(day)
    if issued >= story.options.end or not story.alive_on(person.pin, issued):
        return False
    valid_from = eighteen or issued - timedelta(days=rng.randint(0, 30))
    valid_until = until if group == "CHILD" else _valid_until(rng, group, valid_from)
    body = _row(
        person.pin, "ISSUED", issued, group=group, valid_from=valid_from, valid_until=valid_until
    )
    return story.emit(_at(issued), "mse", {**body, "ref": ref} if ref else body)


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


def _adult_group(rng: random.Random) -> str:
    return rng.choices([g for g, _ in _ADULT_GROUPS], [w for _, w in _ADULT_GROUPS])[0]


def _day_in_period(rng: random.Random, story: Story) -> date:
    return story.options.start + timedelta(days=rng.randrange(story.options.days))


def _at(issued: date) -> datetime:
    return datetime.combine(issued, time(16, 0), BAKU)
