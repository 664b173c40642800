"""The notifier's side of ops commands (ADR 12): retry a parked notice.

A consumer loop on ``ops-commands`` with a group of its own; every type but
``RetryNotice`` is another service's and is ignored. In one transaction per batch: the
inbox claims the commands' event ids (a re-delivered command does nothing), each new
retry moves its notice from parked to pending, and the answer goes to ``ops-replies``
through the outbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from benefits_shared.clock import Clock
from benefits_shared.contracts.ops import NoticeRetryAnswered, RetryNotice
from benefits_shared.db.inbox import claim_new
from benefits_shared.db.outbox import OutgoingEvent, add_to_outbox
from benefits_shared.kafka.consumer_loop import Delivery
from benefits_shared.service_runtime import Received
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier.adapters.notice_store import SOURCE
from notifier.adapters.parking import Parking
from notifier.adapters.tables import NotifierTables


class OpsCommandHandler:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        tables: NotifierTables,
        parking: Parking,
        replies_topic: str,
        clock: Clock,
    ) -> None:
        self._sessions = sessions
        self._t = tables
        self._parking = parking
        self._topic = replies_topic
        self._clock = clock

    async def handle(self, batch: Sequence[Delivery[Received]]) -> None:
        retries = [d.message for d in batch if isinstance(d.message.payload, RetryNotice)]
        if not retries:
            return
        async with self._sessions.begin() as s:
            new = await claim_new(s, self._t.inbox, [m.event.id for m in retries])
            for message in retries:
                if message.event.id in new and isinstance(message.payload, RetryNotice):
                    await self._retry(s, message.payload, self._clock.now())

    async def _retry(self, s: AsyncSession, command: RetryNotice, now: datetime) -> None:
        outcome, state = await self._parking.retry(s, command.notice_id)
        answer = NoticeRetryAnswered(
            command_id=command.command_id,
            notice_id=command.notice_id,
            outcome=outcome,
            state=state,
        )
        event = answer.to_cloudevent(SOURCE, now, None)
        outgoing = OutgoingEvent(self._topic, command.command_id.encode(), event)
        await add_to_outbox(s, self._t.outbox, [outgoing])
