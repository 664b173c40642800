"""A person of the population registry into ``PersonRecord``, or a defect; and its page.

``registry_seq`` orders the versions of a person on the compacted ``persons`` topic: 0 for
the first full copy, the change's ``seq`` after. The registry's person must have a PIN of
the right shape, names, a birth date that exists, ``sex`` F or M, ``language`` az, ru or
en; ``patronymic``, ``phone``, ``date_of_death`` and the parents' PINs may be null.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from benefits_shared.contracts.persons import PersonRecord
from benefits_shared.pin import PinHasher, is_pin

from registry_connectors.outgoing import Outgoing, event_message
from registry_connectors.quarantine import Defect, Origin, bad_value, missing, quarantine_message
from registry_connectors.raw_fields import MAX_SEQ, Malformed, RawFields
from registry_connectors.untrusted_json import check_record, raw_json

SOURCE = "population-registry"
CE_SOURCE = "/registry-connectors/population-registry"
NOT_AN_OBJECT = Defect("bad_value", "a person must be a JSON object")


def read_person(raw: object, registry_seq: int) -> PersonRecord:
    """The mirror record of a registry person; :class:`Malformed` otherwise."""
    if not isinstance(raw, Mapping):
        raise Malformed(NOT_AN_OBJECT)
    check_record(raw)
    f = RawFields(raw)
    return PersonRecord(
        pin=f.pin("pin"),
        given_name=f.text("given_name"),
        surname=f.text("surname"),
        patronymic=f.optional_text("patronymic"),
        birth_date=f.day("birth_date"),
        sex=f.choice("sex", ("F", "M")),
        phone=f.optional_text("phone"),
        language=f.choice("language", ("az", "ru", "en")),
        date_of_death=f.optional_day("date_of_death"),
        mother_pin=f.optional_pin("mother_pin"),
        father_pin=f.optional_pin("father_pin"),
        registry_seq=registry_seq,
    )


@dataclass(frozen=True, slots=True)
class Versioned:
    """A person as the registry sent it, with the version it is: 0 or a change's seq.

    ``defect`` is set when the change around the person is already unusable.
    """

    raw: object
    registry_seq: int
    defect: Defect | None = None


def change_versions(changes: Sequence[object]) -> list[Versioned]:
    """``{"seq": 9, "pin": "...", "person": {...}}`` items of the change feed as versions."""
    return [_change_version(change) for change in changes]


def _change_version(change: object) -> Versioned:
    if not isinstance(change, Mapping):
        return Versioned(change, 0, Defect("bad_value", "a change must be a JSON object"))
    seq = change.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= MAX_SEQ:
        return Versioned(change, 0, bad_value("seq", "a whole number above 0, below 2**63"))
    person = change.get("person")
    if not isinstance(person, Mapping):
        return Versioned(change, seq, missing("person"))
    if change.get("pin") != person.get("pin"):
        return Versioned(change, seq, bad_value("pin", "the PIN of the changed person"))
    return Versioned(person, seq)


def changes_cursor(changes: Sequence[object], after: int, last_seq: int) -> int:
    """The highest ``seq`` of the page; ``last_seq`` only if no change has a readable one."""
    seqs = [v.registry_seq for v in change_versions(changes) if v.registry_seq > 0]
    if not seqs and changes:
        return max(after, last_seq)
    return max([after, *seqs])


@dataclass(slots=True)
class PersonsPlan:
    messages: list[Outgoing] = field(default_factory=list)
    published: int = 0
    quarantined: int = 0


class PersonsPlanner:
    def __init__(self, hasher: PinHasher, topic: str) -> None:
        self._hasher = hasher
        self._topic = topic

    @property
    def topic(self) -> str:
        return self._topic

    def plan(self, people: Sequence[Versioned], now: datetime) -> PersonsPlan:
        plan = PersonsPlan()
        for person in people:
            try:
                if person.defect is not None:
                    raise Malformed(person.defect)
                record = read_person(person.raw, person.registry_seq)
            except Malformed as exc:
                plan.messages.append(self._quarantine(person, exc.defect, now))
                plan.quarantined += 1
                continue
            subject = self._hasher.digest(record.pin)
            plan.messages.append(event_message(self._topic, record, CE_SOURCE, now, subject))
            plan.published += 1
        return plan

    def _quarantine(self, person: Versioned, defect: Defect, now: datetime) -> Outgoing:
        raw = person.raw
        pin = raw.get("pin") if isinstance(raw, Mapping) else None
        where = {"seq": str(person.registry_seq)}
        if is_pin(pin):
            where["pin_hash"] = self._hasher.digest(str(pin))
        value = raw_json(raw)
        digest = hashlib.sha256(value).hexdigest()
        origin = Origin(SOURCE, self._topic, where)
        return quarantine_message(origin, value, defect, (str(person.registry_seq), digest), now)
