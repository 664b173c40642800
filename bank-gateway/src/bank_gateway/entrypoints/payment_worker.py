"""The payment worker: the only part of the gateway that calls the bank.

It runs beside the Kafka consumer (so consuming never waits for the bank) and works from
the tables, in two lanes that share the bank's concurrency: one opens the accounts asked
for; the other cuts ready payments into documents, then sends or reads every due
document. Every call's key and body were stored before the first attempt; every outcome
is recorded after it. A round that fails unexpectedly (the database gone) is logged and
tried again after a pause; ``stop()`` ends both lanes after the round in hand.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bank_gateway.account_requests import AccountRequests
from bank_gateway.document_flow import DocumentFlow

log = logging.getLogger(__name__)
MAX_PAUSE_SECONDS = 10.0


class PaymentWorker:
    def __init__(
        self, accounts: AccountRequests, documents: DocumentFlow, idle_seconds: float
    ) -> None:
        self._accounts = accounts
        self._documents = documents
        self._idle = idle_seconds
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        await asyncio.gather(self._lane(self._accounts.round), self._lane(self.documents_round))

    async def documents_round(self) -> int:
        done = await self._documents.compose()
        return done + await self._documents.advance()

    async def _lane(self, round_: Callable[[], Awaitable[int]]) -> None:
        pause = self._idle
        while not self._stopping.is_set():
            try:
                busy = await round_()
                pause = self._idle
            except Exception as failure:
                log.exception("payment round failed", extra={"error": repr(failure)})
                busy, pause = 0, min(pause * 2, MAX_PAUSE_SECONDS)
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), pause)


class StartedNow:
    """A part already running when ``ServiceRuntime.run`` awaits it with the others.

    ``ServiceRuntime.run`` starts the consumers first, and aiokafka's ``start()`` waits for
    the group's partition assignment: after a crash, until the dead member's session
    expires (about 10 s). Started now, the payment worker does not wait for that: it needs
    nothing from Kafka. ``run`` awaits the task; ``stop`` stops the part, as for any part.
    """

    def __init__(self, part: PaymentWorker) -> None:
        self._part = part
        self._task = asyncio.create_task(part.run(), name="payment-worker")

    async def run(self) -> None:
        await self._task

    def stop(self) -> None:
        self._part.stop()
