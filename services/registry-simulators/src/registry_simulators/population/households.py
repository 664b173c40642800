"""The persons living at the start of the period, one household at a time.

A family is a mother with one to five children (sometimes twins), a father who is in the
population, unknown, or known only by a PIN the population registry does not hold, and
sometimes the mother's own mother. Everyone else lives alone; a man living alone may
father a child whose mother is not in the population. Households are built from a single
seeded random stream, in order, so the same seed gives the same people.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from registry_simulators.population import names
from registry_simulators.population.names import Sex
from registry_simulators.population.people import Language, Person, language, mobile_phone
from registry_simulators.population.pin_book import PinBook

OFFICES = (
    ("Baku-Nasimi", 8), ("Baku-Yasamal", 8), ("Baku-Sabail", 4), ("Baku-Narimanov", 7),
    ("Baku-Binagadi", 9), ("Baku-Khatai", 10), ("Baku-Nizami", 8), ("Baku-Sabunchu", 9),
    ("Baku-Surakhani", 8), ("Baku-Khazar", 7), ("Sumgait", 14), ("Ganja", 13),
    ("Mingachevir", 4), ("Shirvan", 3), ("Lankaran", 9), ("Shaki", 7), ("Nakhchivan", 9),
    ("Quba", 6), ("Shamakhi", 4), ("Barda", 6), ("Yevlakh", 5), ("Jalilabad", 8),
)  # fmt: skip
_OFFICE_NAMES = tuple(name for name, _ in OFFICES)
_OFFICE_WEIGHTS = tuple(weight for _, weight in OFFICES)
_CHILDREN_WEIGHTS = (30, 35, 20, 10, 5)  # one to five children
YEAR = 365.25


@dataclass(frozen=True, slots=True)
class Lineage:
    """What a child of this couple inherits: parents' PINs, patronymic, surname, language."""

    mother_pin: str | None
    father_pin: str | None
    father_name: str
    surname_root: str
    language: Language

    def child(self, rng: random.Random, pin: str, born: date, phone: str | None) -> Person:
        sex: Sex = "F" if rng.random() < 0.49 else "M"
        return Person(
            pin=pin,
            given_name=names.given_name(rng, sex),
            surname=names.surname(self.surname_root, sex),
            patronymic=names.patronymic(self.father_name, sex),
            birth_date=born,
            sex=sex,
            phone=phone,
            language=self.language,
            mother_pin=self.mother_pin,
            father_pin=self.father_pin,
        )


@dataclass(frozen=True, slots=True)
class Household:
    """People living together; ``lineage`` is that of children born during the period."""

    index: int
    office: str
    members: tuple[Person, ...]
    lineage: Lineage


def years_before(day: date, years: float) -> date:
    return day - timedelta(days=round(years * YEAR))


def build_household(rng: random.Random, index: int, pins: PinBook, start: date) -> Household:
    office = rng.choices(_OFFICE_NAMES, _OFFICE_WEIGHTS)[0]
    if pins.residents_left >= 2 and rng.random() < 0.55:
        return Household(index, office, *_family(rng, pins, start))
    return Household(index, office, *_single(rng, pins, start))


def _single(rng: random.Random, pins: PinBook, start: date) -> tuple[tuple[Person, ...], Lineage]:
    sex: Sex = "F" if rng.random() < 0.5 else "M"
    root = names.surname_root(rng)
    person = _adult(
        rng, pins.resident(), sex, root, years_before(start, rng.triangular(18, 92, 38))
    )
    if sex == "F":
        father = names.given_name(rng, "M")
        lineage = Lineage(person.pin, None, father, names.surname_root(rng), person.language)
    else:  # his partner is not in the population: her PIN is an outsider's
        lineage = Lineage(pins.outsider(), person.pin, person.given_name, root, person.language)
    return (person,), lineage


def _family(rng: random.Random, pins: PinBook, start: date) -> tuple[tuple[Person, ...], Lineage]:
    lang = language(rng)
    mother_birth = years_before(start, rng.triangular(22, 72, 34))
    mother = _adult(rng, pins.resident(), "F", names.surname_root(rng), mother_birth, lang)
    father, lineage = _father(rng, pins, mother, lang)
    members = [mother, *_children(rng, pins, start, mother.birth_date, lineage)]
    if father is not None:
        members.append(father)
    grandmother = _grandmother(rng, pins, start, mother, lang)
    if grandmother is not None:
        members[0] = replace(mother, mother_pin=grandmother.pin)
        members.append(grandmother)
    return tuple(members), lineage


def _father(
    rng: random.Random, pins: PinBook, mother: Person, lang: Language
) -> tuple[Person | None, Lineage]:
    """The father if he is in the population, and the lineage of the couple's children."""
    root = names.surname_root(rng)
    roll = rng.random()
    if roll < 0.75 and pins.residents_left > 1:
        birth = mother.birth_date - timedelta(days=rng.randrange(0, 9 * 365))
        father = _adult(rng, pins.resident(), "M", root, birth, lang)
        return father, Lineage(mother.pin, father.pin, father.given_name, root, lang)
    father_pin = None if roll < 0.90 else pins.outsider()  # unknown, or not in the population
    return None, Lineage(mother.pin, father_pin, names.given_name(rng, "M"), root, lang)


def _children(
    rng: random.Random, pins: PinBook, start: date, mother_birth: date, lineage: Lineage
) -> list[Person]:
    wanted = rng.choices(range(1, 6), _CHILDREN_WEIGHTS)[0]
    mother_age = (start - mother_birth).days / YEAR
    born = mother_birth + timedelta(days=round(rng.uniform(19, min(33, mother_age - 0.5)) * YEAR))
    children: list[Person] = []
    while len(children) < wanted and born < start and pins.residents_left > 0:
        old_enough = (start - born).days > 16 * YEAR and rng.random() < 0.9
        phone = mobile_phone(rng) if old_enough else None
        children.append(lineage.child(rng, pins.resident(), born, phone))
        twins = rng.random() < 0.02
        born += timedelta(days=0 if twins else round(rng.uniform(1.0, 5.0) * YEAR))
    return children


def _grandmother(
    rng: random.Random, pins: PinBook, start: date, mother: Person, lang: Language
) -> Person | None:
    if (
        pins.residents_left < 1
        or rng.random() >= 0.25
        or mother.birth_date < years_before(start, 45)
    ):
        return None
    birth = mother.birth_date - timedelta(days=round(rng.uniform(19, 32) * YEAR))
    return _adult(rng, pins.resident(), "F", names.surname_root(rng), birth, lang)


def _adult(
    rng: random.Random, pin: str, sex: Sex, root: str, birth: date, lang: Language | None = None
) -> Person:
    return Person(
        pin=pin,
        given_name=names.given_name(rng, sex),
        surname=names.surname(root, sex),
        patronymic=names.patronymic(names.given_name(rng, "M"), sex),
        birth_date=birth,
        sex=sex,
        phone=mobile_phone(rng) if rng.random() < 0.92 else None,
        language=lang or language(rng),
    )
