"""Decisions, cases, the clock and payroll runs in PostgreSQL (in the caller's transaction)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from benefits_shared.contracts.decisions import BenefitDecided, Entitlement, Recipient
from benefits_shared.db.row_arrays import arrays, insert_rows, one_each
from benefits_shared.pin import PinHasher
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bank_gateway.adapters.tables import GatewayTables
from bank_gateway.case_state import CaseState

CLOCK_TRIGGER = "clock"
#: The columns of a case's row (``CaseStore._row``).
CASE_COLUMNS = (
    "case_id",
    "benefit",
    "decision_id",
    "outcome",
    "person_key",
    "recipient",
    "amount",
    "entitlement",
    "recovery",
    "payee_died_on",
)


class CaseStore:
    def __init__(self, tables: GatewayTables, hasher: PinHasher) -> None:
        self.t = tables
        self._hasher = hasher
        # one statement for many rows (``row_arrays``), built once
        decided = ["decision_id", "case_id", "supersedes", "outcome"]
        self._decisions = insert_rows(tables.decisions, decided).on_conflict_do_nothing(
            index_elements=["decision_id"]
        )
        columns = [*CASE_COLUMNS]
        cases = insert_rows(tables.cases, columns)
        changes = {k: cases.excluded[k] for k in columns if k != "case_id"}
        self._cases = cases.on_conflict_do_update(
            index_elements=["case_id"], set_={**changes, "updated_at": func.now()}
        )

    async def record_decisions(
        self, s: AsyncSession, decisions: Sequence[BenefitDecided]
    ) -> set[str]:
        """Remember the decisions; return the ids a known later decision supersedes (stale)."""
        d = self.t.decisions
        rows = [
            {
                "decision_id": x.decision_id,
                "case_id": x.case_id,
                "supersedes": x.supersedes,
                "outcome": x.outcome,
            }
            for x in decisions
        ]
        await s.execute(self._decisions, arrays("v", rows))
        ids = [x.decision_id for x in decisions]
        stale = await s.execute(select(d.c.supersedes).where(d.c.supersedes.in_(ids)))
        return set(stale.scalars())

    async def save(self, s: AsyncSession, states: Iterable[CaseState]) -> None:
        rows = one_each([self._row(state) for state in states], "case_id", last=True)
        if rows:
            rows.sort(key=lambda r: str(r["case_id"]))
            await s.execute(self._cases, arrays("v", rows))

    def _row(self, state: CaseState) -> dict[str, Any]:
        recipient = state.recipient
        return {
            "case_id": state.case_id,
            "benefit": state.benefit,
            "decision_id": state.decision_id,
            "outcome": state.outcome,
            "person_key": self._hasher.digest(recipient.pin) if recipient else None,
            "recipient": recipient.model_dump(mode="json") if recipient else None,
            "amount": state.amount,
            "entitlement": state.entitlement.model_dump(mode="json") if state.entitlement else None,
            "recovery": state.recovery,
            "payee_died_on": state.payee_died_on,
        }

    async def load(self, s: AsyncSession, case_ids: Iterable[str]) -> dict[str, CaseState]:
        c = self.t.cases
        rows = await s.execute(select(c).where(c.c.case_id.in_(list(set(case_ids)))))
        return {r.case_id: _state(r._mapping) for r in rows}

    async def lock(self, s: AsyncSession, case_ids: Iterable[str]) -> None:
        """Hold the cases until commit, always in id order (so two holders never deadlock)."""
        c = self.t.cases
        query = select(c.c.case_id).where(c.c.case_id.in_(sorted(set(case_ids))))
        await s.execute(query.order_by(c.c.case_id).with_for_update())

    async def allowances(self, s: AsyncSession, after: str, limit: int) -> list[CaseState]:
        """Up to ``limit`` of the B2 cases whose latest decision assigns or ends an
        entitlement, in case-id order after ``after`` ("": from the first): a slice of a
        payroll run (``cases_by_benefit`` walks them in that order)."""
        c = self.t.cases
        query = select(c).where(
            c.c.benefit == "B2", c.c.outcome.in_(("assigned", "ended")), c.c.case_id > after
        )
        rows = await s.execute(query.order_by(c.c.case_id).limit(limit))
        return [_state(r._mapping) for r in rows]

    async def advance_clock(self, s: AsyncSession, day: date) -> None:
        clock = self.t.clock
        stmt = insert(clock).values(id=1, today=day)
        await s.execute(
            stmt.on_conflict_do_update(
                index_elements=["id"],
                set_={"today": func.greatest(clock.c.today, stmt.excluded.today)},
            )
        )

    async def today(self, s: AsyncSession) -> date | None:
        clock = self.t.clock
        return (await s.execute(select(clock.c.today).where(clock.c.id == 1))).scalar()

    async def last_clock_run(self, s: AsyncSession) -> date | None:
        """The latest month the clock's monthly payroll ran for."""
        runs = self.t.payroll_runs
        query = select(func.max(runs.c.month)).where(runs.c.trigger == CLOCK_TRIGGER)
        month: date | None = (await s.execute(query)).scalar()
        return month

    async def record_run(
        self, s: AsyncSession, month: date, trigger: str, payments: int, total: Decimal
    ) -> None:
        await s.execute(
            insert(self.t.payroll_runs).values(
                month=month, trigger=trigger, payments=payments, total=total
            )
        )


def _state(row: Any) -> CaseState:
    recipient = Recipient.model_validate(row["recipient"]) if row["recipient"] else None
    entitlement = Entitlement.model_validate(row["entitlement"]) if row["entitlement"] else None
    return CaseState(
        row["case_id"],
        row["benefit"],
        row["decision_id"],
        row["outcome"],
        recipient,
        row["amount"],
        entitlement,
        row["recovery"],
        row["payee_died_on"],
    )
