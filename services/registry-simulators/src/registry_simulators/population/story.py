"""A household's events as they are collected, and the states its persons go through."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from registry_simulators.population.events import Event, Stream
from registry_simulators.population.households import Household
from registry_simulators.population.options import GeneratorOptions
from registry_simulators.population.people import Person
from registry_simulators.population.pin_book import PinBook


class PersonStates:
    """Changes to persons, applied in time order so each change carries the full new state."""

    def __init__(self, members: tuple[Person, ...]) -> None:
        self._initial = {person.pin: person for person in members}
        self._changes: list[tuple[datetime, int, str, Person | dict[str, Any]]] = []

    def add(self, at: datetime, person: Person) -> None:
        self._changes.append((at, len(self._changes), person.pin, person))

    def change(self, at: datetime, pin: str, **fields: Any) -> None:
        self._changes.append((at, len(self._changes), pin, fields))

    def emit_into(self, story: Story) -> None:
        states = dict(self._initial)
        for at, _, pin, change in sorted(self._changes, key=lambda c: (c[0], c[1])):
            person = change if isinstance(change, Person) else replace(states[pin], **change)
            states[pin] = person
            story.emit(at, "population", {"pin": pin, "person": person.as_registry()})


class Story:
    """Collects a household's events; anything at or after the end of the period is dropped.

    ``deaths`` maps the PIN of each member who dies in the period to the death date;
    ``states`` gathers the changes the population registry will publish.
    """

    def __init__(self, options: GeneratorOptions, household: Household, pins: PinBook) -> None:
        self.options = options
        self.household = household
        self.pins = pins
        self.events: list[Event] = []
        self.deaths: dict[str, date] = {}
        self.states = PersonStates(household.members)
        self._refs = 0

    @property
    def share_of_year(self) -> float:
        """The period's length in years: annual rates are scaled by it."""
        return self.options.days / 365.0

    def day_in_period(self, rng: random.Random) -> date:
        return self.options.start + timedelta(days=rng.randrange(self.options.days))

    def alive_on(self, pin: str, day: date) -> bool:
        return pin not in self.deaths or self.deaths[pin] > day

    def emit(self, at: datetime, stream: Stream, body: dict[str, Any]) -> bool:
        if at.date() >= self.options.end:
            return False
        self.events.append(Event(at, stream, body))
        return True

    def new_ref(self) -> str:
        """An id a later event can point at before record numbers exist."""
        self._refs += 1
        return f"{self.household.index}.{self._refs}"
