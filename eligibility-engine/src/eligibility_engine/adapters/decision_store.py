"""Decisions and the state of each case: written once, superseded, never edited."""

from __future__ import annotations

from datetime import date
from typing import Any

from benefits_shared.contracts.decisions import BenefitDecided
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from eligibility_engine.adapters.tables import EngineTables
from eligibility_engine.decision_ids import fingerprint
from eligibility_engine.decisions import benefit_decided
from eligibility_engine.outcomes import RuleResult


class DecisionStore:
    def __init__(self, tables: EngineTables) -> None:
        self.t = tables

    async def state(self, s: AsyncSession, case_id: str) -> dict[str, Any]:
        c = self.t.cases
        row = (await s.execute(select(c).where(c.c.case_id == case_id))).first()
        return dict(row._mapping) if row else {}

    async def record(
        self, s: AsyncSession, case_id: str, subject: str, result: RuleResult, on: date
    ) -> BenefitDecided | None:
        """The new decision of the case, or None when it says what the last one said."""
        state = await self.state(s, case_id)
        mark = fingerprint(result)
        if state.get("last_fingerprint") == mark:
            return None
        decided = benefit_decided(result, case_id, on, state.get("last_decision_id"))
        position = int(state.get("decision_count") or 0) + 1
        await s.execute(
            insert(self.t.decisions)
            .values(
                decision_id=decided.decision_id,
                case_id=case_id,
                outcome=decided.outcome,
                supersedes=decided.supersedes,
                decided_on=on,
                body=decided.model_dump(mode="json"),
                position=position,
            )
            .on_conflict_do_nothing(index_elements=["decision_id"])
        )
        await self._save_case(s, case_id, subject, result, decided, mark, position, state)
        return decided

    async def _save_case(
        self,
        s: AsyncSession,
        case_id: str,
        subject: str,
        result: RuleResult,
        decided: BenefitDecided,
        mark: str,
        position: int,
        state: dict[str, Any],
    ) -> None:
        row: dict[str, Any] = {
            "case_id": case_id,
            "benefit": result.benefit,
            "subject": subject,
            "last_decision_id": decided.decision_id,
            "last_outcome": decided.outcome,
            "last_fingerprint": mark,
            "decision_count": position,
            "reexamination_on": result.reexamination_on,
        }
        if result.outcome == "assigned" and state.get("grant_state", "none") == "none":
            row["grant_state"] = "assigned"
        if result.outcome == "assigned" and result.recipient is not None:
            row["granted_to"] = result.recipient.pin
        if result.entitlement is not None:
            row["period_start"] = result.entitlement.start
            row["period_end"] = result.entitlement.end
        stmt = insert(self.t.cases).values(row)
        stmt = stmt.on_conflict_do_update(
            index_elements=["case_id"],
            set_={**{k: stmt.excluded[k] for k in row if k != "case_id"}, "updated_at": func.now()},
        )
        await s.execute(stmt)

    async def record_payment(self, s: AsyncSession, case_id: str, period_end: date | None) -> None:
        """A settled payment: a grant is paid; a monthly allowance is paid through a day."""
        c = self.t.cases
        values: dict[str, Any] = {"grant_state": "paid"}
        if period_end is not None:
            values = {
                "paid_through": func.greatest(
                    func.coalesce(c.c.paid_through, period_end), period_end
                )
            }
        await s.execute(update(c).where(c.c.case_id == case_id).values(values))

    async def due_on(self, s: AsyncSession, day: date) -> tuple[list[str], list[str]]:
        """B2 cases whose entitlement ended before ``day`` but still say assigned, and B2
        cases whose re-examination notice is due by ``day``."""
        c = self.t.cases
        ended = await s.execute(
            select(c.c.subject).where(
                c.c.benefit == "B2", c.c.last_outcome == "assigned", c.c.period_end < day
            )
        )
        notices = await s.execute(
            select(c.c.subject).where(c.c.benefit == "B2", c.c.reexamination_on <= day)
        )
        return list(ended.scalars()), list(notices.scalars())

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

    async def exists(self, s: AsyncSession, case_id: str) -> bool:
        c = self.t.cases
        return (
            await s.execute(select(c.c.case_id).where(c.c.case_id == case_id))
        ).first() is not None
