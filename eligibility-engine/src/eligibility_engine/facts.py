"""What the engine knows when it decides: plain, frozen values, built by the adapters.

The adapters build these from the engine's own tables, fed by the ``persons`` topic (the
population registry mirror) and the ``life-events`` topic (civil registry records, MSE
certificates). The rules read nothing else, so a decision can be re-derived from the
facts it records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from benefits_shared.contracts.life_events import DisabilityGroup, Sex
from benefits_shared.contracts.persons import Language

#: How far a one-time grant (B1, B3) of the case has gone: decides revoke vs keep.
GrantState = Literal["none", "assigned", "paid"]


@dataclass(frozen=True, slots=True)
class Person:
    """A person of the population registry mirror.

    ``date_of_death`` is the earliest death date the engine knows, from the population
    registry or a civil-registry death record, whichever arrived first.
    """

    pin: str
    given_name: str
    surname: str
    birth_date: date
    sex: Sex
    phone: str | None = None
    language: Language = "az"
    date_of_death: date | None = None
    mother_pin: str | None = None
    father_pin: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.surname}"

    def alive_on(self, day: date) -> bool:
        """Alive for the whole of ``day``: a person who died that day is not."""
        return self.date_of_death is None or self.date_of_death > day

    def turns(self, years: int) -> date:
        """The day this person reaches ``years`` (born on 29 February: 1 March)."""
        year = self.birth_date.year + years
        try:
            return self.birth_date.replace(year=year)
        except ValueError:
            return date(year, 3, 1)

    def as_fact(self) -> dict[str, Any]:
        return {
            "pin": self.pin,
            "birth_date": self.birth_date.isoformat(),
            "date_of_death": _iso(self.date_of_death),
        }


@dataclass(frozen=True, slots=True)
class BirthRecord:
    """A civil-registry birth record with every correction applied to it."""

    record_no: str
    child_pin: str
    birth_date: date
    mother_pin: str | None = None
    father_pin: str | None = None
    cancelled: bool = False
    corrections: tuple[str, ...] = ()

    @property
    def order(self) -> tuple[date, str]:
        """Children are ordered by birth date, then (twins) by record number."""
        return self.birth_date, self.record_no

    def as_fact(self) -> dict[str, Any]:
        return {
            "record_no": self.record_no,
            "child_pin": self.child_pin,
            "birth_date": self.birth_date.isoformat(),
            "mother_pin": self.mother_pin,
            "father_pin": self.father_pin,
            "cancelled": self.cancelled,
            "corrections": list(self.corrections),
        }


@dataclass(frozen=True, slots=True)
class DeathRecord:
    record_no: str
    deceased_pin: str
    death_date: date
    informant_pin: str | None = None
    cancelled: bool = False

    def as_fact(self) -> dict[str, Any]:
        return {
            "record_no": self.record_no,
            "deceased_pin": self.deceased_pin,
            "death_date": self.death_date.isoformat(),
            "informant_pin": self.informant_pin,
            "cancelled": self.cancelled,
        }


@dataclass(frozen=True, slots=True)
class Certificate:
    """One MSE disability certificate (the latest row for its number), revocation included.

    ``source_order`` is the position of its ISSUED row in the MSE feed (file, upload,
    line): it breaks ties between certificates of one person issued on the same day.
    """

    certificate_no: str
    holder_pin: str
    group: DisabilityGroup
    valid_from: date
    issued_at: date
    valid_until: date | None = None
    revoked_from: date | None = None
    source_order: int = 0

    def issued_after(self, other: Certificate) -> bool:
        return (self.issued_at, self.source_order) > (other.issued_at, other.source_order)

    def as_fact(self) -> dict[str, Any]:
        return {
            "certificate_no": self.certificate_no,
            "holder_pin": self.holder_pin,
            "group": self.group,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": _iso(self.valid_until),
            "revoked_from": _iso(self.revoked_from),
            "issued_at": self.issued_at.isoformat(),
            "source_order": self.source_order,
        }


@dataclass(frozen=True, slots=True)
class Period:
    """Days ``start`` … ``end`` inclusive; ``end`` None is open-ended."""

    start: date
    end: date | None = None

    def as_fact(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": _iso(self.end)}

    def ends_before(self, other: Period) -> bool:
        """True when this period stops earlier than ``other`` does."""
        return self.end is not None and (other.end is None or self.end < other.end)


@dataclass(frozen=True, slots=True)
class BirthCase:
    """B1: one birth and every other birth record naming its mother or father.

    ``grant`` is how far this child's grant has gone; ``granted_to`` the PIN of whom it
    was assigned or paid to (a paid grant stays with them if the record is cancelled).
    """

    birth: BirthRecord
    persons: Mapping[str, Person]
    births: tuple[BirthRecord, ...] = ()
    grant: GrantState = "none"
    granted_to: str | None = None


@dataclass(frozen=True, slots=True)
class DisabilityCase:
    """B2: one certificate, the holder's other certificates, what the case holds now.

    ``current`` is the period of this case's latest assigned or ended decision (None if
    it never had one).
    """

    certificate: Certificate
    persons: Mapping[str, Person]
    certificates: tuple[Certificate, ...] = ()
    current: Period | None = None


@dataclass(frozen=True, slots=True)
class FuneralCase:
    """B3: one death record; ``grant`` and ``granted_to`` as for ``BirthCase``."""

    death: DeathRecord
    persons: Mapping[str, Person]
    grant: GrantState = "none"
    granted_to: str | None = None


CaseFacts = BirthCase | DisabilityCase | FuneralCase


def person_fact(persons: Mapping[str, Person], pin: str | None) -> dict[str, Any] | None:
    """What was read about the person with ``pin``: their record, or that none is known."""
    if pin is None:
        return None
    person = persons.get(pin)
    return person.as_fact() if person else {"pin": pin, "known": False}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
