"""The monthly B2 payroll run, in the caller's transaction (no bank call).

A run for month M stores, for every case whose latest decision assigns or ends an
entitlement, a pending payment for the entitled days of M not paid before (payroll.py);
the payment worker sends them. The days of a payee who has died are owed to the estate
instead (``estate.py``): recorded, told on ``payments`` (``OwedToEstate``), never sent.
Run by the clock (the first tick of month M+1 runs M, and with it every earlier month a
late decision left unpaid) or on demand for one month (``bank-gateway payroll --month
2026-03``). A repeated run finds every day paid and
stores nothing new. Runs and the decision handler take one lock, so they never interleave.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from benefits_shared.db.outbox import OutgoingEvent
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bank_gateway.adapters.case_store import CLOCK_TRIGGER
from bank_gateway.adapters.stores import Stores
from bank_gateway.allowance_due import AllowanceDue
from bank_gateway.case_state import CaseState
from bank_gateway.errors import NoRateInForce
from bank_gateway.payment_events import PaymentEvents
from bank_gateway.payments_due import PaymentDue, allowance_payments
from bank_gateway.payroll import first_of_month, previous_month

log = logging.getLogger(__name__)
#: Cases whose payments a run works out at once (their paid days in memory together).
SLICE = 500


@dataclass(frozen=True, slots=True)
class RunResult:
    month: date
    payments: int
    total: Decimal
    owed_to_estate: int = 0
    events: tuple[OutgoingEvent, ...] = ()


class PayrollRun:
    def __init__(self, stores: Stores, events: PaymentEvents, slice_size: int = SLICE) -> None:
        self._st = stores
        self._allowances = AllowanceDue(stores, events)
        self.slice_size = slice_size

    async def lock(self, s: AsyncSession) -> None:
        """Serialise payroll runs and allowance decisions of this schema."""
        schema = self._st.tables.metadata.schema
        await s.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"payroll:{schema}"}
        )

    async def on_day(self, s: AsyncSession, day: date) -> RunResult | None:
        """A tick: the run for the month before ``day`` if the clock has not run it yet."""
        await self._st.cases.advance_clock(s, day)
        month = previous_month(day)
        last = await self._st.cases.last_clock_run(s)
        if last is not None and last >= month:
            return None
        return await self.run(s, month, CLOCK_TRIGGER, arrears=True)

    async def run(self, s: AsyncSession, month: date, trigger: str, arrears: bool) -> RunResult:
        """The run for ``month``, ``slice_size`` cases at a time (their paid days read, their
        payments stored), all in the caller's transaction: what it holds in memory is one
        slice, however many holders there are (ADR 29)."""
        month = first_of_month(month)
        result = RunResult(month, 0, Decimal(0))
        after = ""
        while cases := await self._st.cases.allowances(s, after, self.slice_size):
            result = _plus(result, await self._slice(s, cases, month, arrears))
            if len(cases) < self.slice_size:
                break
            after = cases[-1].case_id
        await self._st.cases.record_run(s, month, trigger, result.payments, result.total)
        log.info(
            "payroll run",
            extra={
                "month": f"{month:%Y-%m}",
                "trigger": trigger,
                "payments": result.payments,
                "owed_to_estate": result.owed_to_estate,
            },
        )
        return result

    async def _slice(
        self, s: AsyncSession, cases: list[CaseState], month: date, arrears: bool
    ) -> RunResult:
        paid = await self._st.payments.paid_days(s, [c.case_id for c in cases])
        due: list[tuple[CaseState, list[PaymentDue]]] = []
        for case in cases:
            try:
                found = allowance_payments(case, month, paid.get(case.case_id, set()), arrears)
            except NoRateInForce as missing:
                log.error("allowance not paid", extra={"case": case.case_id, "error": str(missing)})
                continue
            due.append((case, found))
        payments, owed, events = await self._allowances.store(s, due)
        total = sum((d.amount for d in payments), Decimal(0))
        return RunResult(month, len(payments), total, len(owed), tuple(events))


def _plus(a: RunResult, b: RunResult) -> RunResult:
    return RunResult(
        a.month,
        a.payments + b.payments,
        a.total + b.total,
        a.owed_to_estate + b.owed_to_estate,
        a.events + b.events,
    )
