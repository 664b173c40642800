"""A person as the population registry holds them, and the small facts about persons."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from registry_simulators.population.names import Sex

Language = Literal["az", "ru", "en"]
MOBILE_PREFIXES = ("50", "51", "55", "70", "77", "99", "10")


@dataclass(frozen=True, slots=True)
class Person:
    pin: str
    given_name: str
    surname: str
    patronymic: str
    birth_date: date
    sex: Sex
    phone: str | None
    language: Language
    date_of_death: date | None = None
    mother_pin: str | None = None
    father_pin: str | None = None

    def as_registry(self) -> dict[str, Any]:
        """The person exactly as the population registry serves them (key order included)."""
        return {
            "pin": self.pin,
            "given_name": self.given_name,
            "surname": self.surname,
            "patronymic": self.patronymic,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex,
            "phone": self.phone,
            "language": self.language,
            "date_of_death": self.date_of_death.isoformat() if self.date_of_death else None,
            "mother_pin": self.mother_pin,
            "father_pin": self.father_pin,
        }


def age_on(birth_date: date, day: date) -> int:
    """Completed years on ``day``."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def birthday(birth_date: date, years: int) -> date:
    """The day a person turns ``years`` (29 February: 1 March in common years)."""
    try:
        return birth_date.replace(year=birth_date.year + years)
    except ValueError:
        return date(birth_date.year + years, 3, 1)


def mobile_phone(rng: random.Random) -> str:
    """``+994`` and 9 digits: an operator code and a 7-digit subscriber number."""
    return f"+994{rng.choice(MOBILE_PREFIXES)}{rng.randrange(2_000_000, 10_000_000)}"


def language(rng: random.Random) -> Language:
    roll = rng.random()
    return "az" if roll < 0.85 else "ru" if roll < 0.97 else "en"
