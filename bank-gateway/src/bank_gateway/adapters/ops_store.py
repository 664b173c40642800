"""What ops must act on: recovery cases, rejected payments and days owed to the estate of a
payee who died (in the caller's transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from benefits_shared.pin import PinHasher
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bank_gateway.adapters.tables import GatewayTables
from bank_gateway.estate import Owed
from bank_gateway.recovery import Recovery


class OpsStore:
    def __init__(self, tables: GatewayTables, hasher: PinHasher) -> None:
        self.t = tables
        self._hasher = hasher

    async def recoveries(self, s: AsyncSession, case_id: str) -> list[Recovery]:
        r = self.t.recoveries
        rows = await s.execute(
            select(
                r.c.recovery_id, r.c.amount, r.c.reason, r.c.month, r.c.days, r.c.payment_id
            ).where(r.c.case_id == case_id)
        )
        return [
            Recovery(rid, amount, reason, month, tuple(days or ()), paid)
            for rid, amount, reason, month, days, paid in rows
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
                "payment_id": x.payment_id,
            }
            for x in opened
        ]
        stmt = insert(self.t.recoveries).on_conflict_do_nothing()
        new = await s.execute(stmt.returning(self.t.recoveries.c.recovery_id), rows)
        return list(new.scalars())

    async def owe_to_estate(self, s: AsyncSession, owed: Sequence[Owed]) -> list[str]:
        """Store the entries owed to the estate; return the ids that were new."""
        if not owed:
            return []
        rows = [
            {
                "owed_id": o.owed_id,
                "case_id": o.case_id,
                "decision_id": o.decision_id,
                "benefit": o.benefit,
                "person_key": self._hasher.digest(o.deceased.pin),
                "deceased_pin": o.deceased.pin,
                "died_on": o.died_on,
                "month": o.line.month,
                "days": list(o.line.days),
                "monthly_rate": o.line.monthly_rate,
                "days_in_month": o.line.days_in_month,
                "amount": o.line.amount,
                "payment_id": o.payment_id,
            }
            for o in owed
        ]
        table = self.t.owed_to_estate
        stmt = insert(table).on_conflict_do_nothing().returning(table.c.owed_id)
        return list((await s.execute(stmt, rows)).scalars())

    async def reject(
        self, s: AsyncSession, payment_id: str, case_id: str, reason: str, amount: Decimal
    ) -> None:
        stmt = insert(self.t.rejections).values(
            payment_id=payment_id, case_id=case_id, reason_code=reason, amount=amount
        )
        await s.execute(stmt.on_conflict_do_nothing())
