"""The gateway's Kafka handler: one transaction per batch, no bank call.

In one PostgreSQL transaction: the inbox claims the batch's event ids; each new decision
updates its case (accounts asked for, payments stored or cancelled, recovery cases
opened); each new clock tick may run the monthly payroll; the events this causes go to
the outbox. Then the consumer loop commits the offsets. The payment worker does the
calls later, from the tables. A redelivered batch claims nothing new and does nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from benefits_shared.contracts.clock import DayStarted
from benefits_shared.contracts.decisions import BenefitDecided
from benefits_shared.db.inbox import claim_new
from benefits_shared.db.outbox import OutgoingEvent, add_to_outbox
from benefits_shared.doorbell import Doorbell
from benefits_shared.errors import PoisonMessage
from benefits_shared.kafka.consumer_loop import Delivery
from benefits_shared.service_runtime import Received
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bank_gateway.adapters.tables import GatewayTables
from bank_gateway.case_state import ALLOWANCE, CaseState, case_state
from bank_gateway.case_updates import CaseUpdates
from bank_gateway.payroll_run import PayrollRun


class EventHandler:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        tables: GatewayTables,
        updates: CaseUpdates,
        payroll: PayrollRun,
        doorbell: Doorbell | None = None,
    ) -> None:
        self._sessions = sessions
        self._t = tables
        self._updates = updates
        self._payroll = payroll
        self._doorbell = doorbell or Doorbell()  # the account lane's (bootstrap)

    async def handle(self, batch: Sequence[Delivery[Received]]) -> None:
        async with self._sessions.begin() as s:
            new = await claim_new(s, self._t.inbox, [d.message.event.id for d in batch])
            fresh = [d for d in batch if d.message.event.id in new]
            decided = [_decided(d) for d in fresh if isinstance(d.message.payload, BenefitDecided)]
            days = sorted(
                d.message.payload.day for d in fresh if isinstance(d.message.payload, DayStarted)
            )
            if days or any(state.benefit == ALLOWANCE for _, state in decided):
                await self._payroll.lock(s)
            events = await self._updates.apply(s, decided) if decided else []
            events += await self._ticks(s, days)
            await add_to_outbox(s, self._t.outbox, events)
        if decided:  # accounts may have been asked for: the account lane looks now
            self._doorbell.ring()

    async def _ticks(self, s: AsyncSession, days: list[date]) -> list[OutgoingEvent]:
        events: list[OutgoingEvent] = []
        for day in days:
            run = await self._payroll.on_day(s, day)
            events += run.events if run else ()
        return events


def _decided(delivery: Delivery[Received]) -> tuple[BenefitDecided, CaseState]:
    decided = delivery.message.payload
    assert isinstance(decided, BenefitDecided)
    try:
        return decided, case_state(decided)
    except PoisonMessage as poison:
        raise PoisonMessage(poison.reason, kind="contract", record_key=delivery.position) from None
