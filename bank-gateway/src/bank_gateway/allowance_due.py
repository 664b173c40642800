"""Store what allowances are owed, in the caller's transaction: payments for the bank, or
entries owed to the estate when the payee has died (see :mod:`bank_gateway.estate`).

Shared by a decision's re-planning (``case_updates``) and the monthly run
(``payroll_run``), so both treat a dead payee's days alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from benefits_shared.db.outbox import OutgoingEvent
from sqlalchemy.ext.asyncio import AsyncSession

from bank_gateway.adapters.stores import Stores
from bank_gateway.case_state import CaseState
from bank_gateway.estate import Owed, owed_to_estate, refused_owed
from bank_gateway.payment_events import PaymentEvents
from bank_gateway.payments_due import PaymentDue


class AllowanceDue:
    def __init__(self, stores: Stores, events: PaymentEvents) -> None:
        self._st = stores
        self._events = events

    async def store(
        self, s: AsyncSession, due: Sequence[tuple[CaseState, Sequence[PaymentDue]]]
    ) -> tuple[list[PaymentDue], list[Owed], list[OutgoingEvent]]:
        """The payments stored, the entries owed to the estate that are new, their events."""
        payments: list[PaymentDue] = []
        owed: list[Owed] = []
        for state, found in due:
            pay, estate = owed_to_estate(state, found)
            payments += pay
            owed += estate
        await self._st.payments.want(s, payments)
        fresh, events = await self.owe(s, owed)
        return payments, fresh, events

    async def owe(
        self, s: AsyncSession, owed: Sequence[Owed]
    ) -> tuple[list[Owed], list[OutgoingEvent]]:
        """Store the entries owed to the estate; those that were new, and their events."""
        new = set(await self._st.ops.owe_to_estate(s, owed))
        fresh = [o for o in owed if o.owed_id in new]
        return fresh, [self._events.owed_to_estate(o) for o in fresh]

    async def refused(self, s: AsyncSession, state: CaseState) -> list[OutgoingEvent]:
        """The days of the case's payments the bank refused because its payee had died,
        owed to the estate once the case says so (``estate.refused_owed``)."""
        if state.payee_died_on is None:
            return []
        owed = refused_owed(state, await self._st.payments.refused(s, state.case_id))
        return (await self.owe(s, owed))[1]
