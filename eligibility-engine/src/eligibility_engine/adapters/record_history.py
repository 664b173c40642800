"""What a birth or death record said at each point of a batch: pure, no I/O.

Applied one by one, each event on a record (the record itself, a cancellation, a
correction) re-folds it with the amendments stored so far and touches the cases of the
people it named before and after. Replaying those steps in memory gives, per position of
the batch, the people an event touched and the record's people from that position on
(what ``family_graph`` reads), and the record's final fold (what is written back).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from eligibility_engine.record_folding import Amendment, fold

#: The people of a record, by role: a birth (child, mother, father), a death
#: (deceased, informant).
People = tuple[str | None, ...]
COLUMNS = {
    "birth": {"child_pin", "birth_date", "mother_pin", "father_pin"},
    "death": {"deceased_pin", "death_date", "informant_pin"},
}


@dataclass
class Versions:
    """A row's people from each position on; before the first step the row did not exist
    (a row stored before the batch has its first step at -1)."""

    steps: list[tuple[int, People]] = field(default_factory=list)

    def at(self, position: int) -> People | None:
        if len(self.steps) == 1:
            since, people = self.steps[0]
            return people if since <= position else None
        found = None
        for since, people in self.steps:
            if since > position:
                break
            found = people
        return found


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A record as the table holds it: its original, its people now, since when."""

    kind: str
    original: Mapping[str, Any]
    people: People
    since: int


@dataclass
class RecordReplay:
    """The result of replaying one record: versions, touched people, the final fold."""

    versions: Versions
    touched: dict[int, set[str]]
    final: dict[str, Any] | None


def people_of(kind: str, values: Mapping[str, Any]) -> People:
    get = values.get
    if kind == "birth":
        return get("child_pin"), get("mother_pin"), get("father_pin")
    return get("deceased_pin"), get("informant_pin")


def replay(
    record: StoredRecord, amendments: Sequence[tuple[int, Amendment]], events: Sequence[int]
) -> RecordReplay:
    """Replay the ``events`` (positions) on a record; ``amendments`` are known from their
    position (-1: stored before the batch)."""
    if not amendments:  # unamended, a record says what it said when inserted, throughout
        named = {p for p in record.people if p}
        touched_by = {position: named for position in events if position >= record.since}
        return RecordReplay(Versions([(record.since, record.people)]), touched_by, None)
    versions = Versions([(record.since, record.people)] if record.since < 0 else [])
    touched: dict[int, set[str]] = {}
    current = record.people
    final = None
    for position in sorted(set(events)):
        if position < record.since:
            continue  # an amendment that came before its record touches nothing
        known = [a for since, a in amendments if since <= position]
        fields, cancelled, corrections = fold(record.kind, record.original, known)
        after = people_of(record.kind, fields)
        final = _row(record.kind, fields, cancelled, corrections)
        touched[position] = {p for p in (*current, *after) if p}
        versions.steps.append((position, after))
        current = after
    return RecordReplay(versions, touched, final)


def _row(
    kind: str, fields: Mapping[str, Any], cancelled: bool, corrections: Sequence[str]
) -> dict[str, Any]:
    """The columns a fold writes back."""
    values: dict[str, Any] = {k: v for k, v in fields.items() if k in COLUMNS[kind]}
    for day in ("birth_date", "death_date"):
        if isinstance(values.get(day), str):
            values[day] = date.fromisoformat(values[day])
    values["cancelled"] = cancelled
    if kind == "birth":
        values["corrections"] = list(corrections)
    return values
