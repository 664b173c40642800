"""A batch's new events sorted into the rows they become: pure, no I/O.

The rows end as if the events had been applied one by one, in order: of several versions
of a person (``registry_seq``) or of a certificate (its place in the MSE feed) the last
with the highest order wins, as a version is applied when its order is at least the
stored one; of several copies of a record (birth, death, amendment) the first is kept, as
a record is inserted once and never overwritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from benefits_shared.clock import baku_date
from benefits_shared.contracts.clock import DayStarted
from benefits_shared.contracts.life_events import (
    BirthRegistered,
    CertificateIssued,
    CertificateRevoked,
    DeathRegistered,
    RecordCancelled,
    RecordCorrected,
)
from benefits_shared.contracts.payments import PaymentSettled
from benefits_shared.contracts.persons import PersonRecord
from benefits_shared.contracts.progress import (
    CivilFeedProgress,
    MseDropProgress,
    PopulationCopyProgress,
    ProgressMarker,
)

from eligibility_engine.knowledge import Marker

Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Arrival:
    """A new event of the batch: its place in the batch, its Baku day, its payload."""

    position: int
    day: date
    payload: object


@dataclass
class BatchFacts:
    """What a batch brings, by table; ``record_events`` and the seeds say, per position,
    which record an event refolds and whose cases it touches."""

    persons: dict[str, tuple[int, Row]] = field(default_factory=dict)
    births: dict[str, tuple[int, Row]] = field(default_factory=dict)
    deaths: dict[str, tuple[int, Row]] = field(default_factory=dict)
    amendments: dict[str, tuple[int, Row]] = field(default_factory=dict)
    certificates: list[tuple[int, Row]] = field(default_factory=list)
    revoked: set[str] = field(default_factory=set)
    payments: dict[str, tuple[bool, date | None]] = field(default_factory=dict)
    ticks: list[date] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    record_events: list[tuple[int, str]] = field(default_factory=list)
    person_seeds: list[tuple[int, str]] = field(default_factory=list)
    holder_seeds: list[tuple[int, str]] = field(default_factory=list)

    def add(self, position: int, payload: object) -> None:
        match payload:
            case PersonRecord():
                self._person(position, payload)
            case BirthRegistered():
                self.births.setdefault(payload.record_no, (position, birth_row(payload)))
                self.record_events.append((position, payload.record_no))
            case DeathRegistered():
                self.deaths.setdefault(payload.record_no, (position, death_row(payload)))
                self.record_events.append((position, payload.record_no))
            case RecordCancelled() | RecordCorrected():
                row = amendment_row(payload)
                self.amendments.setdefault(row[0], (position, row))
                self.record_events.append((position, row[1]))
            case CertificateIssued():
                self.certificates.append((position, certificate_row(payload)))
                self.holder_seeds.append((position, payload.pin))
            case CertificateRevoked():
                self._revocation(position, payload)
            case PaymentSettled():
                self._payment(payload)
            case DayStarted():
                self.ticks.append(payload.day)
            case ProgressMarker():
                self.markers.append(marker(payload))

    def _person(self, position: int, p: PersonRecord) -> None:
        known = self.persons.get(p.pin)
        if known is None or p.registry_seq >= known[1][2]:
            self.persons[p.pin] = (position, person_row(p))
        self.person_seeds.append((position, p.pin))

    def _revocation(self, position: int, r: CertificateRevoked) -> None:
        changes = {"effective_from": r.effective_from.isoformat()}
        order = source_order(r.source_file, r.line)
        row = (f"revoke:{r.certificate_no}", r.certificate_no, "revoke", _json(changes), order)
        self.amendments.setdefault(row[0], (position, row))
        self.revoked.add(r.certificate_no)
        self.holder_seeds.append((position, r.pin))

    def _payment(self, p: PaymentSettled) -> None:
        paid, through = self.payments.get(p.case_id, (False, None))
        if p.period_end is None:
            paid = True
        else:
            through = max(through or p.period_end, p.period_end)
        self.payments[p.case_id] = (paid, through)

    def winning_certificates(self) -> list[Row]:
        """One row per certificate: the last of those with the highest feed order."""
        rows: dict[str, Row] = {}
        for _, row in self.certificates:
            known = rows.get(row[0])
            if known is None or row[6] >= known[6]:
                rows[row[0]] = row
        return list(rows.values())


def marker(m: ProgressMarker) -> Marker:
    match m:
        case PopulationCopyProgress():
            return Marker("population", m.partition, m.partitions, as_of=m.as_of)
        case CivilFeedProgress():
            return Marker("civil", m.partition, m.partitions, through_seq=m.through_seq)
        case MseDropProgress():
            return Marker("mse", m.partition, m.partitions, as_of=m.as_of)
    raise TypeError(f"not a marker the engine knows: {m.NAME}")


def person_row(p: PersonRecord) -> Row:
    return (
        p.pin,
        p.model_dump_json(),
        p.registry_seq,
        p.date_of_death,
        p.mother_pin,
        p.father_pin,
    )


def birth_row(b: BirthRegistered) -> Row:
    """(record_no, child, born, mother, father, registered_on); the table keeps these as
    the record's ``original`` too (see ``original``)."""
    registered = baku_date(b.registered_at)
    return (b.record_no, b.child.pin, b.child.birth_date, b.mother_pin, b.father_pin, registered)


def death_row(d: DeathRegistered) -> Row:
    """(record_no, deceased, died, informant, registered_on)."""
    registered = baku_date(d.registered_at)
    return (d.record_no, d.deceased_pin, d.death_date, d.informant_pin, registered)


def original(kind: str, row: Row) -> dict[str, Any]:
    """The record as registered, before any correction: what amendments are folded into."""
    if kind == "birth":
        _, child, born, mother, father, _ = row
        return {
            "child_pin": child,
            "birth_date": born.isoformat(),
            "mother_pin": mother,
            "father_pin": father,
        }
    _, deceased, died, informant, _ = row
    return {"deceased_pin": deceased, "death_date": died.isoformat(), "informant_pin": informant}


def amendment_row(a: RecordCancelled | RecordCorrected) -> Row:
    """(record_no, target, kind, changes, seq) of a cancellation or correction."""
    if isinstance(a, RecordCancelled):
        return (a.record_no, a.cancels, "cancel", _json({"reason": a.reason}), a.seq)
    return (a.record_no, a.corrects, "correct", _json(dict(a.changes)), a.seq)


def certificate_row(c: CertificateIssued) -> Row:
    order = source_order(c.source_file, c.line)
    return (c.certificate_no, c.pin, c.group, c.valid_from, c.valid_until, c.issued_at, order)


def source_order(source_file: str, line: int) -> int:
    """Order of a row in the MSE feed: the file's day, its upload number, the line."""
    stem = source_file.rsplit("/", 1)[-1].removesuffix(".csv").removeprefix("mse_")
    day, _, upload = stem.partition("_")
    digits = day if day.isdigit() else "0"
    return int(digits) * 10**9 + int(upload or 1) * 10**6 + line


def columns(rows: list[Row], width: int) -> list[list[Any]]:
    """Rows as one list per column: the arrays an ``unnest`` insert takes."""
    if not rows:
        return [[] for _ in range(width)]
    return [list(column) for column in zip(*rows, strict=True)]


def _json(value: Any) -> str:
    return json.dumps(value)
