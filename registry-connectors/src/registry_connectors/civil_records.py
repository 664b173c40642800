"""A civil-registry record, as the feed sends it, into its event, or a defect.

The four kinds of registries.md §1 become ``BirthRegistered``, ``DeathRegistered``,
``RecordCancelled`` and ``RecordCorrected``. Every field the event needs must be there and
well formed: PINs of the right shape, dates that exist, a ``registered_at`` with its offset,
a known ``kind``. ``mother_pin``, ``father_pin``, ``informant_pin`` and a cancellation's
``reason`` may be null or absent. A correction's ``changes`` are checked the same way
(a ``*pin`` must be a PIN or null, a ``*date`` an existing date or null). Before any of
that the record must be storable (:mod:`registry_connectors.untrusted_json`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from benefits_shared.contracts.life_events import (
    BirthRegistered,
    Child,
    CivilRecord,
    DeathRegistered,
    RecordCancelled,
    RecordCorrected,
)
from pydantic import ValidationError

from registry_connectors.outgoing import Outgoing, event_message
from registry_connectors.quarantine import Defect, bad_value
from registry_connectors.raw_fields import Malformed, RawFields, iso_day
from registry_connectors.untrusted_json import MAX_RECORD_NO, check_record, is_storable_number


@dataclass(frozen=True, slots=True)
class ReadRecord:
    """A valid record: its event and who it is about.

    ``subject_pin`` is the child or the deceased; ``refers_to`` is the record number a
    cancellation or correction is about (its subject is that record's subject).
    """

    event: CivilRecord
    subject_pin: str | None = None
    refers_to: str | None = None

    @property
    def record_no(self) -> str:
        return self.event.record_no

    def message(self, topic: str, source: str, subject: str) -> Outgoing:
        event = self.event
        return event_message(topic, event, source, event.registered_at, subject)


def read_record(raw: object) -> ReadRecord:
    """The event of a raw record; :class:`Malformed` with the defect otherwise."""
    if not isinstance(raw, Mapping):
        raise Malformed(Defect("bad_value", "a record must be a JSON object"))
    check_record(raw)
    fields = RawFields(raw)
    kind = fields.text("kind")
    reader = _READERS.get(kind)
    if reader is None:
        raise Malformed(
            Defect("unknown_kind", "kind is not BIRTH, DEATH, CANCELLATION or CORRECTION")
        )
    if not is_storable_number(fields.text("record_no")):
        raise Malformed(bad_value("record_no", f"printable, at most {MAX_RECORD_NO} characters"))
    common = {
        "record_no": fields.text("record_no"),
        "seq": fields.whole_number("seq"),
        "registered_at": fields.instant("registered_at"),
    }
    try:
        return reader(fields, common)
    except ValidationError as exc:  # our checks passed but the contract did not
        where = ".".join(str(p) for p in exc.errors()[0]["loc"])
        raise Malformed(bad_value(where, "what the event contract allows")) from None


def _birth(fields: RawFields, common: dict[str, Any]) -> ReadRecord:
    child = fields.nested("child")
    event = BirthRegistered(
        **common,
        office=fields.text("office"),
        child=Child(
            pin=child.pin("pin"),
            given_name=child.text("given_name"),
            surname=child.text("surname"),
            birth_date=child.day("birth_date"),
            sex=child.choice("sex", ("F", "M")),
        ),
        mother_pin=fields.optional_pin("mother_pin"),
        father_pin=fields.optional_pin("father_pin"),
    )
    return ReadRecord(event, subject_pin=event.child.pin)


def _death(fields: RawFields, common: dict[str, Any]) -> ReadRecord:
    event = DeathRegistered(
        **common,
        office=fields.text("office"),
        deceased_pin=fields.pin("deceased_pin"),
        death_date=fields.day("death_date"),
        informant_pin=fields.optional_pin("informant_pin"),
    )
    return ReadRecord(event, subject_pin=event.deceased_pin)


def _cancellation(fields: RawFields, common: dict[str, Any]) -> ReadRecord:
    cancels = fields.text("cancels")
    reason = fields.optional_text("reason") or ""
    return ReadRecord(RecordCancelled(**common, cancels=cancels, reason=reason), refers_to=cancels)


def _correction(fields: RawFields, common: dict[str, Any]) -> ReadRecord:
    corrects = fields.text("corrects")
    changes = fields.object("changes")
    if not changes:
        raise Malformed(bad_value("changes", "a non-empty object"))
    check_changes(changes, "changes.")
    event = RecordCorrected(**common, corrects=corrects, changes=dict(changes))
    return ReadRecord(event, refers_to=corrects)


def check_changes(changes: Mapping[str, Any], prefix: str) -> None:
    """A changed ``*pin`` is a PIN or null, a changed ``*date`` an existing date or null."""
    for name, value in changes.items():
        field = f"{prefix}{name}"
        if isinstance(value, Mapping):
            check_changes(value, f"{field}.")
        elif value is None:
            continue
        elif name.endswith("pin"):
            RawFields({name: value}, prefix).pin(name)
        elif name.endswith("date"):
            if not isinstance(value, str):
                raise Malformed(bad_value(field, "a date as YYYY-MM-DD"))
            iso_day(value, field)


_READERS: dict[str, Callable[[RawFields, dict[str, Any]], ReadRecord]] = {
    "BIRTH": _birth,
    "DEATH": _death,
    "CANCELLATION": _cancellation,
    "CORRECTION": _correction,
}
