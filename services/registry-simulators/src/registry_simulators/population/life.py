"""The life of one household: recent births, then births, deaths and changes in the period.

Everything here is drawn from the household's share of one seeded random stream, so the
same seed tells the same story. Rates are annual and scaled to the length of the period.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from registry_simulators.population import amendments, disability
from registry_simulators.population.events import Event, later, office_time
from registry_simulators.population.households import Household
from registry_simulators.population.options import GeneratorOptions
from registry_simulators.population.people import Person, age_on, mobile_phone
from registry_simulators.population.pin_book import PinBook
from registry_simulators.population.story import Story

# annual probability of dying, by age at the start of the period (upper bound, rate)
_MORTALITY = ((1, 0.005), (40, 0.001), (60, 0.005), (70, 0.015), (80, 0.04), (200, 0.10))
_PHONE_CHANGE_RATE = 0.03
_LANGUAGES = ("az", "ru", "en")


def household_events(
    rng: random.Random, household: Household, options: GeneratorOptions, pins: PinBook
) -> list[Event]:
    story = Story(options, household, pins)
    registrations = {}
    for person in household.members:
        if (death := _death(rng, person, options)) is not None:
            story.deaths[person.pin], registrations[person.pin] = death
    twins_registered: dict[tuple[str | None, date], datetime] = {}
    for person in household.members:
        _recent_birth(rng, story, person, twins_registered)
    _births(rng, story)
    for pin, registered in registrations.items():
        _death_records(rng, story, pin, registered)
    for person in household.members:
        _phone_or_language_change(rng, story, person)
        disability.certificates(rng, story, person)
    story.states.emit_into(story)
    return story.events


def _death(
    rng: random.Random, person: Person, options: GeneratorOptions
) -> tuple[date, datetime] | None:
    """The death date and the moment it is registered, if both fall in the period."""
    age = age_on(person.birth_date, options.start)
    annual = next(rate for limit, rate in _MORTALITY if age < limit)
    if rng.random() >= annual * options.days / 365.0:
        return None
    day = options.start + timedelta(days=rng.randrange(options.days))
    registered = later(rng, office_time(rng, day), 1, 7)
    return (day, registered) if registered.date() < options.end else None


def _recent_birth(
    rng: random.Random,
    story: Story,
    person: Person,
    registered: dict[tuple[str | None, date], datetime],
) -> None:
    """The birth record of a resident born in the years the civil feed goes back to; twins
    are registered together."""
    if not story.options.history_start <= person.birth_date < story.options.start:
        return
    key = (person.mother_pin, person.birth_date)
    if key not in registered:
        registered[key] = later(rng, office_time(rng, person.birth_date), 1, 30)
    at = registered[key]
    amendments.emit_birth(rng, story, at, _birth_body(story, at, person))


def _birth_body(story: Story, at: datetime, child: Person) -> dict[str, Any]:
    return {
        "kind": "BIRTH",
        "registered_at": at.isoformat(),
        "office": story.household.office,
        "child": {
            "pin": child.pin,
            "given_name": child.given_name,
            "surname": child.surname,
            "birth_date": child.birth_date.isoformat(),
            "sex": child.sex,
        },
        "mother_pin": child.mother_pin,
        "father_pin": child.father_pin,
    }


def _births(rng: random.Random, story: Story) -> None:
    """A child (sometimes twins) born in the period, registered, then added to the registry."""
    born = _birth_day(rng, story)
    if born is None:
        return
    registered = later(rng, office_time(rng, born), 1, 30)
    if registered.date() >= story.options.end:
        return
    for _ in range(2 if rng.random() < 0.02 else 1):
        child = story.household.lineage.child(rng, story.pins.newborn(), born, None)
        amendments.emit_birth(rng, story, registered, _birth_body(story, registered, child))
        story.states.add(later(rng, registered, 0, 2), child)


def _birth_day(rng: random.Random, story: Story) -> date | None:
    lineage, members = story.household.lineage, story.household.members
    parents = (lineage.mother_pin, lineage.father_pin)
    parent = next((m for m in members if m.pin in parents), None)
    if parent is None:
        return None
    age = age_on(parent.birth_date, story.options.start)
    annual = (0.10 if 20 <= age < 35 else 0.05 if 18 <= age < 43 else 0.0) * (
        1.0 if parent.sex == "F" else 0.3
    )
    if rng.random() >= annual * story.share_of_year:
        return None
    born = story.day_in_period(rng)
    siblings = [m.birth_date for m in members if m.mother_pin == lineage.mother_pin]
    too_soon = born - max(siblings, default=date.min) < timedelta(days=300)
    mother_alive = lineage.mother_pin is None or story.alive_on(lineage.mother_pin, born)
    return born if mother_alive and not too_soon else None


def _death_records(rng: random.Random, story: Story, pin: str, registered: datetime) -> None:
    day = story.deaths[pin]
    body = {
        "kind": "DEATH",
        "registered_at": registered.isoformat(),
        "office": story.household.office,
        "deceased_pin": pin,
        "death_date": day.isoformat(),
        "informant_pin": _informant(rng, story, pin, day),
    }
    amendments.emit_death(rng, story, registered, body)
    story.states.change(later(rng, registered, 0, 3), pin, date_of_death=day)


def _informant(rng: random.Random, story: Story, deceased: str, day: date) -> str | None:
    """A living adult of the household; sometimes a minor, an outsider, or nobody named."""
    living = [
        m for m in story.household.members if m.pin != deceased and story.alive_on(m.pin, day)
    ]
    adults = [m.pin for m in living if age_on(m.birth_date, day) >= 18]
    minors = [m.pin for m in living if age_on(m.birth_date, day) < 18]
    roll = rng.random()
    if roll < 0.80 and adults:
        return rng.choice(adults)
    if roll < 0.85 and minors:
        return rng.choice(minors)
    return story.pins.outsider() if roll < 0.95 else None


def _phone_or_language_change(rng: random.Random, story: Story, person: Person) -> None:
    if age_on(person.birth_date, story.options.start) < 16:
        return
    if rng.random() >= _PHONE_CHANGE_RATE * story.share_of_year:
        return
    at = office_time(rng, story.day_in_period(rng))
    if not story.alive_on(person.pin, at.date()):
        return
    if rng.random() < 0.15:
        others = [lang for lang in _LANGUAGES if lang != person.language]
        story.states.change(at, person.pin, language=rng.choice(others))
    else:
        story.states.change(at, person.pin, phone=mobile_phone(rng))
