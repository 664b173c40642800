"""Decisions and the state of each case: read for a whole batch, written in bulk.

A decision is written once and superseded, never edited; it is queued in the outbox in
the same transaction, in the order it was made.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from eligibility_engine import metrics
from eligibility_engine.adapters.case_book import CaseBook, Decided
from eligibility_engine.adapters.decision_rows import decision_rows
from eligibility_engine.adapters.tables import EngineTables

STATES = "SELECT * FROM {s}.cases WHERE case_id IN (SELECT unnest(CAST(:ids AS text[])))"

DECISIONS = """
INSERT INTO {s}.decisions (decision_id, case_id, outcome, supersedes, decided_on, body, position)
SELECT id, case_id, outcome, supersedes, decided_on, body::jsonb, position FROM unnest(
    CAST(:id AS text[]), CAST(:case_id AS text[]), CAST(:outcome AS text[]),
    CAST(:supersedes AS text[]), CAST(:decided_on AS date[]), CAST(:body AS text[]),
    CAST(:position AS int[])) AS r(id, case_id, outcome, supersedes, decided_on, body, position)
ON CONFLICT (decision_id) DO NOTHING"""

CASE_COLUMNS = (
    "case_id",
    "benefit",
    "subject",
    "last_decision_id",
    "last_outcome",
    "last_fingerprint",
    "decision_count",
    "reexamination_on",
    "grant_state",
    "granted_to",
    "period_start",
    "period_end",
)
CASES = """
INSERT INTO {s}.cases AS c (case_id, benefit, subject, last_decision_id, last_outcome,
    last_fingerprint, decision_count, reexamination_on, grant_state, granted_to, period_start,
    period_end)
SELECT * FROM unnest(CAST(:case_id AS text[]), CAST(:benefit AS text[]),
    CAST(:subject AS text[]), CAST(:last_decision_id AS text[]), CAST(:last_outcome AS text[]),
    CAST(:last_fingerprint AS text[]), CAST(:decision_count AS int[]),
    CAST(:reexamination_on AS date[]), CAST(:grant_state AS text[]),
    CAST(:granted_to AS text[]), CAST(:period_start AS date[]), CAST(:period_end AS date[]))
ON CONFLICT (case_id) DO UPDATE SET benefit = excluded.benefit, subject = excluded.subject,
    last_decision_id = excluded.last_decision_id, last_outcome = excluded.last_outcome,
    last_fingerprint = excluded.last_fingerprint, decision_count = excluded.decision_count,
    reexamination_on = excluded.reexamination_on, grant_state = excluded.grant_state,
    granted_to = excluded.granted_to, period_start = excluded.period_start,
    period_end = excluded.period_end, updated_at = now()"""

OUTBOX = """
INSERT INTO {s}.outbox (event_id, topic, key, headers, value, traceparent)
SELECT id, topic, key, headers::jsonb, value, traceparent FROM unnest(
    CAST(:id AS text[]), CAST(:topic AS text[]), CAST(:key AS bytea[]),
    CAST(:headers AS text[]), CAST(:value AS bytea[]), CAST(:traceparent AS text[]))
    WITH ORDINALITY AS r(id, topic, key, headers, value, traceparent, n)
ORDER BY n
ON CONFLICT (event_id) DO NOTHING"""

DUE = """
SELECT subject, coalesce(last_outcome = 'assigned' AND period_end < :day, false),
       coalesce(reexamination_on <= :day, false)
FROM {s}.cases
WHERE benefit = 'B2' AND ((last_outcome = 'assigned' AND period_end < :day)
                          OR reexamination_on <= :day)
ORDER BY subject"""

TODAY = "SELECT today FROM {s}.clock WHERE id = 1"


class DecisionStore:
    def __init__(self, tables: EngineTables, topic: str) -> None:
        self._topic = topic
        self._sql = tables.statements(
            states=STATES,
            decisions=DECISIONS,
            cases=CASES,
            outbox=OUTBOX,
            due=DUE,
            today=TODAY,
        )

    async def read_states(self, s: AsyncSession, book: CaseBook, case_ids: Iterable[str]) -> None:
        """Read into ``book`` the states of the cases it does not know yet."""
        wanted = sorted({c for c in case_ids if not book.knows(c)})
        if not wanted:
            return
        for case_id in wanted:
            book.states[case_id] = {}
        for row in await s.execute(self._sql["states"], {"ids": wanted}):
            book.states[row.case_id] = dict(row._mapping)

    async def write(self, s: AsyncSession, taken: Decided) -> None:
        """Store new decisions and case states, and queue the decisions, in their order."""
        if not taken.decisions:
            return
        decisions, outgoing = decision_rows(self._topic, taken.decisions, taken.traces)
        await s.execute(self._sql["decisions"], decisions)
        states = taken.states
        await s.execute(self._sql["cases"], {n: [st.get(n) for st in states] for n in CASE_COLUMNS})
        await s.execute(self._sql["outbox"], outgoing)
        metrics.count(d for d, _ in taken.decisions)

    async def due_on(self, s: AsyncSession, day: date) -> tuple[list[str], list[str]]:
        """B2 cases whose entitlement ended before ``day`` but still say assigned, and B2
        cases whose re-examination notice is due by ``day``."""
        rows = (await s.execute(self._sql["due"], {"day": day})).all()
        return [r[0] for r in rows if r[1]], [r[0] for r in rows if r[2]]

    async def today(self, s: AsyncSession) -> date | None:
        day: date | None = (await s.execute(self._sql["today"])).scalar()
        return day
