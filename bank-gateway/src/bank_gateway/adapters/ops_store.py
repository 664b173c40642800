"""What ops must act on: recovery cases and rejected payments (in the caller's transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bank_gateway.adapters.tables import GatewayTables
from bank_gateway.recovery import Recovery


class OpsStore:
    def __init__(self, tables: GatewayTables) -> None:
        self.t = tables

    async def recoveries(self, s: AsyncSession, case_id: str) -> list[Recovery]:
        r = self.t.recoveries
        rows = await s.execute(
            select(r.c.recovery_id, r.c.amount, r.c.reason, r.c.month, r.c.days).where(
                r.c.case_id == case_id
            )
        )
        return [
            Recovery(rid, amount, reason, month, tuple(days or ()))
            for rid, amount, reason, month, days in rows
        ]

    async def open_recoveries(
        self,
        s: AsyncSession,
        case_id: str,
        decision_id: str,
        pin: str | None,
        opened: Sequence[Recovery],
    ) -> list[str]:
        """Store the recovery cases; return the ids that were new."""
        if not opened:
            return []
        rows = [
            {
                "recovery_id": x.recovery_id,
                "case_id": case_id,
                "decision_id": decision_id,
                "recipient_pin": pin,
                "month": x.month,
                "days": list(x.days) or None,
                "amount": x.amount,
                "reason": x.reason,
            }
            for x in opened
        ]
        stmt = insert(self.t.recoveries).on_conflict_do_nothing()
        new = await s.execute(stmt.returning(self.t.recoveries.c.recovery_id), rows)
        return list(new.scalars())

    async def reject(
        self, s: AsyncSession, payment_id: str, case_id: str, reason: str, amount: Decimal
    ) -> None:
        stmt = insert(self.t.rejections).values(
            payment_id=payment_id, case_id=case_id, reason_code=reason, amount=amount
        )
        await s.execute(stmt.on_conflict_do_nothing())
