"""A batch's facts into the engine's tables: one set-based statement per table.

Every write is idempotent (a record number, a certificate number or a PIN is a primary
key), so applying an event twice, or late, or out of order, ends in the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from eligibility_engine.adapters.fact_rows import BatchFacts, Row, columns
from eligibility_engine.adapters.tables import EngineTables

PERSONS = """
INSERT INTO {s}.persons AS p (pin, record, registry_seq, date_of_death, mother_pin, father_pin)
SELECT pin, record::jsonb, seq, died, mother, father FROM unnest(
    CAST(:c0 AS text[]), CAST(:c1 AS text[]), CAST(:c2 AS bigint[]), CAST(:c3 AS date[]),
    CAST(:c4 AS text[]), CAST(:c5 AS text[])) AS r(pin, record, seq, died, mother, father)
ON CONFLICT (pin) DO UPDATE SET record = excluded.record, registry_seq = excluded.registry_seq,
    date_of_death = excluded.date_of_death, mother_pin = excluded.mother_pin,
    father_pin = excluded.father_pin
WHERE p.registry_seq <= excluded.registry_seq"""

#: ``original`` is the record as registered (``fact_rows.original``), built here.
BIRTHS = """
INSERT INTO {s}.births
    (record_no, child_pin, birth_date, mother_pin, father_pin, registered_on, original)
SELECT no, child, born, mother, father, registered, jsonb_build_object(
    'child_pin', child, 'birth_date', born, 'mother_pin', mother, 'father_pin', father)
FROM unnest(
    CAST(:c0 AS text[]), CAST(:c1 AS text[]), CAST(:c2 AS date[]), CAST(:c3 AS text[]),
    CAST(:c4 AS text[]), CAST(:c5 AS date[])) AS r(no, child, born, mother, father, registered)
ON CONFLICT (record_no) DO NOTHING RETURNING record_no"""

DEATHS = """
INSERT INTO {s}.deaths
    (record_no, deceased_pin, death_date, informant_pin, registered_on, original)
SELECT no, deceased, died, informant, registered, jsonb_build_object(
    'deceased_pin', deceased, 'death_date', died, 'informant_pin', informant)
FROM unnest(
    CAST(:c0 AS text[]), CAST(:c1 AS text[]), CAST(:c2 AS date[]), CAST(:c3 AS text[]),
    CAST(:c4 AS date[])) AS r(no, deceased, died, informant, registered)
ON CONFLICT (record_no) DO NOTHING RETURNING record_no"""

AMENDMENTS = """
INSERT INTO {s}.amendments (record_no, target, kind, changes, seq)
SELECT no, target, kind, changes::jsonb, seq FROM unnest(
    CAST(:c0 AS text[]), CAST(:c1 AS text[]), CAST(:c2 AS text[]), CAST(:c3 AS text[]),
    CAST(:c4 AS bigint[])) AS r(no, target, kind, changes, seq)
ON CONFLICT (record_no) DO NOTHING RETURNING record_no"""

#: The holders before the batch (to know who held a certificate when), then the upsert.
CERTIFICATES = """
WITH before AS (
    SELECT certificate_no, holder_pin, source_order FROM {s}.certificates
    WHERE certificate_no IN (SELECT unnest(CAST(:c0 AS text[])))
), upsert AS (
    INSERT INTO {s}.certificates AS c
        (certificate_no, holder_pin, "group", valid_from, valid_until, issued_at, source_order)
    SELECT * FROM unnest(
        CAST(:c0 AS text[]), CAST(:c1 AS text[]), CAST(:c2 AS text[]), CAST(:c3 AS date[]),
        CAST(:c4 AS date[]), CAST(:c5 AS date[]), CAST(:c6 AS bigint[]))
    ON CONFLICT (certificate_no) DO UPDATE SET holder_pin = excluded.holder_pin,
        "group" = excluded."group", valid_from = excluded.valid_from,
        valid_until = excluded.valid_until, issued_at = excluded.issued_at,
        source_order = excluded.source_order
    WHERE c.source_order <= excluded.source_order
)
SELECT certificate_no, holder_pin, source_order FROM before"""

REVOCATIONS = """
UPDATE {s}.certificates AS c SET revoked_from = CAST(a.changes->>'effective_from' AS date)
FROM (SELECT DISTINCT ON (target) target, changes FROM {s}.amendments
      WHERE kind = 'revoke' AND target IN (SELECT unnest(CAST(:nos AS text[])))
      ORDER BY target, seq DESC) AS a
WHERE c.certificate_no = a.target"""

PAYMENTS = """
UPDATE {s}.cases AS c
SET grant_state = CASE WHEN p.paid THEN 'paid' ELSE c.grant_state END,
    paid_through = CASE WHEN p.through IS NULL THEN c.paid_through
                        ELSE greatest(coalesce(c.paid_through, p.through), p.through) END
FROM unnest(CAST(:ids AS text[]), CAST(:paid AS boolean[]), CAST(:through AS date[]))
    AS p(case_id, paid, through)
WHERE c.case_id = p.case_id"""

CLOCK = """
INSERT INTO {s}.clock AS k (id, today) VALUES (1, :day)
ON CONFLICT (id) DO UPDATE SET today = greatest(k.today, excluded.today)"""


@dataclass(frozen=True, slots=True)
class Written:
    """What the inserts found: which records were new, who held each certificate before."""

    new_records: set[str]
    new_amendments: set[str]
    holders_before: dict[str, tuple[str, int]]


class FactStore:
    def __init__(self, tables: EngineTables) -> None:
        self._sql = tables.statements(**_STATEMENTS)

    async def store(self, s: AsyncSession, facts: BatchFacts) -> Written:
        await self._rows(s, "persons", [row for _, row in facts.persons.values()], 6)
        births = await self._rows(s, "births", [row for _, row in facts.births.values()], 6)
        deaths = await self._rows(s, "deaths", [row for _, row in facts.deaths.values()], 5)
        amended = [row for _, row in facts.amendments.values()]
        new_amendments = await self._rows(s, "amendments", amended, 5)
        before = await self._rows(s, "certificates", facts.winning_certificates(), 7)
        if facts.revoked or facts.certificates:
            nos = facts.revoked | {row[0] for _, row in facts.certificates}
            await s.execute(self._sql["revocations"], {"nos": sorted(nos)})
        await self._payments(s, facts.payments)
        if facts.ticks:
            await s.execute(self._sql["clock"], {"day": max(facts.ticks)})
        return Written(
            {r[0] for r in births} | {r[0] for r in deaths},
            {r[0] for r in new_amendments},
            {r[0]: (r[1], r[2]) for r in before},
        )

    async def _rows(self, s: AsyncSession, name: str, rows: list[Row], width: int) -> list[Row]:
        if not rows:
            return []
        params = {f"c{i}": column for i, column in enumerate(columns(rows, width))}
        result = await s.execute(self._sql[name], params)
        return [tuple(r) for r in result] if name in _RETURNING else []

    async def _payments(self, s: AsyncSession, paid: dict[str, tuple[bool, date | None]]) -> None:
        if paid:
            ids = sorted(paid)
            params = {
                "ids": ids,
                "paid": [paid[i][0] for i in ids],
                "through": [paid[i][1] for i in ids],
            }
            await s.execute(self._sql["payments"], params)


_RETURNING = {"births", "deaths", "amendments", "certificates"}
_STATEMENTS: dict[str, str] = {
    "persons": PERSONS,
    "births": BIRTHS,
    "deaths": DEATHS,
    "amendments": AMENDMENTS,
    "certificates": CERTIFICATES,
    "revocations": REVOCATIONS,
    "payments": PAYMENTS,
    "clock": CLOCK,
}
