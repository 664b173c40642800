"""The common case of :func:`~registry_connectors.civil_records.read_record`, without
building the event's model (ADR 32).

Almost every record of the feed is a well-formed birth or death. For such a record the
event's Kafka value is the record's own fields in the contract's order: the strings the
registry sent are already what the contract's serializer would write (a day as
``YYYY-MM-DD``, a date-time as ``YYYY-MM-DDTHH:MM:SS±HH:MM``). Building the pydantic
models of the event to write the same bytes was a third of the connector's planning.

A record this module is not sure of, it declines (``None``) and the full reader decides
it, as before: another kind; a field missing, empty or of another type, or one that is
not in registries.md §1; an optional PIN that is an empty string; a date-time in any other
form or at offset zero (the contract writes ``Z`` there); a text that
:func:`~registry_connectors.untrusted_json.check_record` would refuse or measure (NUL, an
unpaired surrogate, a record that may be too large). Knowing every field, it checks only
the free texts instead of walking the record.

It never accepts what the full reader refuses, and what it accepts becomes the same Kafka
record, byte for byte: ``tests/unit/test_civil_quick.py`` checks both on generated and
damaged records.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from benefits_shared.cloudevents import deterministic_id_text
from benefits_shared.contracts.life_events import BirthRegistered, DeathRegistered
from benefits_shared.db.unstorable import UNSTORABLE
from benefits_shared.pin import is_pin

from registry_connectors.outgoing import Outgoing, envelope_message
from registry_connectors.raw_fields import MAX_SEQ, Malformed, iso_day
from registry_connectors.untrusted_json import MAX_RECORD_BYTES, is_storable_number

_INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}")
#: The contract's serializer writes compact UTF-8 JSON and escapes as this encoder does.
_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_BIRTH, _DEATH = BirthRegistered.type_name(), DeathRegistered.type_name()
_ABSENT = object()
_COMMON = frozenset({"seq", "record_no", "kind", "registered_at", "office"})
_BIRTH_FIELDS = _COMMON | {"child", "mother_pin", "father_pin"}
_CHILD_FIELDS = frozenset({"pin", "given_name", "surname", "birth_date", "sex"})
_DEATH_FIELDS = _COMMON | {"deceased_pin", "death_date", "informant_pin"}
#: Far below ``MAX_RECORD_BYTES`` with every other field at its longest: a record whose
#: free texts are shorter cannot be too large, whatever they hold.
_MOST_TEXT = MAX_RECORD_BYTES // 8


@dataclass(frozen=True, slots=True)
class QuickRead:
    """A valid birth or death, read without its model: what the planner needs of it."""

    record_no: str
    subject_pin: str
    type_name: str
    registered_at: datetime
    value: bytes

    refers_to = None  # a birth or a death refers to no other record

    def message(self, topic: str, source: str, subject: str) -> Outgoing:
        event_id = deterministic_id_text(self.type_name, self.record_no)
        return envelope_message(
            topic, event_id, self.type_name, self.value, source, self.registered_at, subject
        )


def quick_read(raw: object) -> QuickRead | None:
    """The record read as a birth or a death, or None: let the full reader decide."""
    if type(raw) is not dict:
        return None
    kind = raw.get("kind")
    reader = _READERS.get(kind) if type(kind) is str else None
    if reader is None:
        return None
    record_no, seq = raw.get("record_no"), raw.get("seq")
    if not is_storable_number(record_no) or type(seq) is not int or not 0 <= seq <= MAX_SEQ:
        return None
    at = raw.get("registered_at")
    registered = _instant(at) if type(at) is str else None
    if registered is None:
        return None
    return reader(raw, record_no, seq, registered)


def _birth(raw: dict[str, Any], record_no: str, seq: int, at: datetime) -> QuickRead | None:
    child, office = raw.get("child"), raw.get("office")
    if type(child) is not dict or not raw.keys() <= _BIRTH_FIELDS:
        return None
    pin: Any = child.get("pin")
    birth_date, sex = child.get("birth_date"), child.get("sex")
    given_name, surname = child.get("given_name"), child.get("surname")
    if not (child.keys() <= _CHILD_FIELDS and _texts(record_no, office, given_name, surname)):
        return None
    if not (is_pin(pin) and _day(birth_date)):
        return None
    mother, father = _optional_pin(raw, "mother_pin"), _optional_pin(raw, "father_pin")
    if sex not in ("F", "M") or mother is _ABSENT or father is _ABSENT:
        return None
    child_body = {
        "pin": pin,
        "given_name": given_name,
        "surname": surname,
        "birth_date": birth_date,
        "sex": sex,
    }
    rest = {"child": child_body, "mother_pin": mother, "father_pin": father}
    return _read(raw, record_no, seq, at, pin, _BIRTH, rest)


def _death(raw: dict[str, Any], record_no: str, seq: int, at: datetime) -> QuickRead | None:
    pin: Any = raw.get("deceased_pin")
    office, death_date = raw.get("office"), raw.get("death_date")
    informant = _optional_pin(raw, "informant_pin")
    if not (raw.keys() <= _DEATH_FIELDS and _texts(record_no, office)):
        return None
    if not (is_pin(pin) and _day(death_date)) or informant is _ABSENT:
        return None
    rest = {"deceased_pin": pin, "death_date": death_date, "informant_pin": informant}
    return _read(raw, record_no, seq, at, pin, _DEATH, rest)


def _read(
    raw: dict[str, Any],
    record_no: str,
    seq: int,
    at: datetime,
    subject_pin: str,
    type_name: str,
    rest: dict[str, Any],
) -> QuickRead:
    """The value in the contract's field order: the fields every civil record has, then
    the kind's own."""
    head = {"record_no": record_no, "seq": seq, "registered_at": raw["registered_at"]}
    body = {**head, "office": raw["office"], **rest}
    return QuickRead(record_no, subject_pin, type_name, at, _COMPACT.encode(body).encode())


_READERS: dict[str, Callable[[dict[str, Any], str, int, datetime], QuickRead | None]] = {
    "BIRTH": _birth,
    "DEATH": _death,
}


def _texts(*values: object) -> bool:
    """Each a non-empty string, all storable and short (``check_record``'s concerns for
    the only fields that can hold any text)."""
    if not all(type(v) is str and v for v in values):
        return False
    joined = "".join(values)  # type: ignore[arg-type]
    return len(joined) <= _MOST_TEXT and not UNSTORABLE.search(joined)


def _day(value: object) -> bool:
    """``YYYY-MM-DD`` of a day that exists (the full reader's ``iso_day``): what the
    contract writes back unchanged."""
    if type(value) is not str:
        return False
    try:
        iso_day(value, "")
    except Malformed:
        return False
    return True


def _instant(text: str) -> datetime | None:
    """``YYYY-MM-DDTHH:MM:SS±HH:MM`` at a non-zero offset, which the contract writes back
    unchanged (and the event's ``ce_time`` too); None for anything else."""
    if not _INSTANT.fullmatch(text):
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if not value.utcoffset() or value.isoformat() != text:
        return None
    return value


def _optional_pin(raw: dict[str, Any], name: str) -> object:
    """The PIN, None when the field is null or absent, ``_ABSENT`` for anything else (an
    empty string the full reader takes as absent included)."""
    value = raw.get(name)
    if value is None or is_pin(value):
        return value
    return _ABSENT
