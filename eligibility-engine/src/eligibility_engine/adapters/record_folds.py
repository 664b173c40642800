"""Cancellations and corrections folded into the records a batch touched, set-based.

One query finds the amendments of every record the batch names; only the records that
have any are re-folded and written back. The replay (``record_history``) also says which
people each event touched, as the one-by-one application did.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from eligibility_engine.adapters.fact_rows import BatchFacts, Row, original
from eligibility_engine.adapters.fact_store import Written
from eligibility_engine.adapters.record_history import People, StoredRecord, Versions, replay
from eligibility_engine.adapters.tables import EngineTables
from eligibility_engine.record_folding import Amendment

AMENDMENTS_OF = """
SELECT target, record_no, kind, changes, seq FROM {s}.amendments
WHERE target IN (SELECT unnest(CAST(:nos AS text[])))"""

RECORDS = """
SELECT 'birth', record_no, original, child_pin, mother_pin, father_pin FROM {s}.births
WHERE record_no IN (SELECT unnest(CAST(:nos AS text[])))
UNION ALL
SELECT 'death', record_no, original, deceased_pin, informant_pin, NULL FROM {s}.deaths
WHERE record_no IN (SELECT unnest(CAST(:nos AS text[])))"""

BIRTH_FOLDS = """
UPDATE {s}.births AS b SET child_pin = r.child, birth_date = r.born, mother_pin = r.mother,
    father_pin = r.father, cancelled = r.cancelled, corrections = r.corrections::jsonb
FROM unnest(CAST(:no AS text[]), CAST(:child_pin AS text[]), CAST(:birth_date AS date[]),
    CAST(:mother_pin AS text[]), CAST(:father_pin AS text[]), CAST(:cancelled AS boolean[]),
    CAST(:corrections AS text[])) AS r(no, child, born, mother, father, cancelled, corrections)
WHERE b.record_no = r.no"""

DEATH_FOLDS = """
UPDATE {s}.deaths AS d SET deceased_pin = r.deceased, death_date = r.died,
    informant_pin = r.informant, cancelled = r.cancelled
FROM unnest(CAST(:no AS text[]), CAST(:deceased_pin AS text[]), CAST(:death_date AS date[]),
    CAST(:informant_pin AS text[]), CAST(:cancelled AS boolean[]))
    AS r(no, deceased, died, informant, cancelled)
WHERE d.record_no = r.no"""


@dataclass
class History:
    """Per record the batch touched, its versions; per position, the people touched."""

    births: dict[str, Versions] = field(default_factory=dict)
    deaths: dict[str, Versions] = field(default_factory=dict)
    touched: dict[int, set[str]] = field(default_factory=dict)


class RecordFolds:
    def __init__(self, tables: EngineTables) -> None:
        self._amendments = tables.sql(AMENDMENTS_OF)
        self._records = tables.sql(RECORDS)
        self._writes = {"birth": tables.sql(BIRTH_FOLDS), "death": tables.sql(DEATH_FOLDS)}

    async def refold(self, s: AsyncSession, facts: BatchFacts, written: Written) -> History:
        events: dict[str, list[int]] = defaultdict(list)
        for position, record_no in facts.record_events:
            events[record_no].append(position)
        if not events:
            return History()
        amendments = await self._amendments_of(s, sorted(events), facts, written)
        records = _created(facts, written, set(amendments))
        records.update(await self._stored(s, sorted(set(events) - set(records))))
        history = History()
        finals: dict[str, list[dict[str, Any]]] = {"birth": [], "death": []}
        for record_no, record in records.items():
            result = replay(record, amendments.get(record_no, []), events[record_no])
            (history.births if record.kind == "birth" else history.deaths)[record_no] = (
                result.versions
            )
            for position, people in result.touched.items():
                history.touched.setdefault(position, set()).update(people)
            if result.final is not None:
                finals[record.kind].append({"no": record_no, **result.final})
        for kind, rows in finals.items():
            await self._write(s, kind, rows)
        return history

    async def _amendments_of(
        self, s: AsyncSession, targets: list[str], facts: BatchFacts, written: Written
    ) -> dict[str, list[tuple[int, Amendment]]]:
        found: dict[str, list[tuple[int, Amendment]]] = defaultdict(list)
        for target, no, kind, changes, seq in await s.execute(self._amendments, {"nos": targets}):
            since = facts.amendments[no][0] if no in written.new_amendments else -1
            found[target].append((since, Amendment(no, kind, changes, seq)))
        return found

    async def _stored(self, s: AsyncSession, nos: list[str]) -> dict[str, StoredRecord]:
        if not nos:
            return {}
        stored: dict[str, StoredRecord] = {}
        for kind, no, registered, *people in await s.execute(self._records, {"nos": nos}):
            if no not in stored or kind == "birth":  # a number in both tables is a birth
                named = tuple(people[: 3 if kind == "birth" else 2])
                stored[no] = StoredRecord(kind, registered, named, -1)
        return stored

    async def _write(self, s: AsyncSession, kind: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        params = {key: [r.get(key) for r in rows] for key in rows[0]}
        if kind == "birth":
            params["corrections"] = [json.dumps(c) for c in params["corrections"]]
        await s.execute(self._writes[kind], params)


def _created(facts: BatchFacts, written: Written, amended: set[str]) -> dict[str, StoredRecord]:
    """The records this batch inserted, as they were inserted (unfolded), and where; the
    original is read only for a record that has amendments to fold into it."""
    created: dict[str, StoredRecord] = {}
    for kind, rows in (("death", facts.deaths), ("birth", facts.births)):
        people = _birth_people if kind == "birth" else _death_people
        for no, (position, row) in rows.items():
            if no in written.new_records:
                registered = original(kind, row) if no in amended else {}
                created[no] = StoredRecord(kind, registered, people(row), position)
    return created


def _birth_people(row: Row) -> People:
    return row[1], row[3], row[4]


def _death_people(row: Row) -> People:
    return row[1], row[3]
