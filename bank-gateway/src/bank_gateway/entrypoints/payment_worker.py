"""The payment worker: the only part of the gateway that calls the bank.

It runs beside the Kafka consumer (so consuming never waits for the bank) and works from
the tables, in two lanes that share the bank's slots (``BankCalls``): one opens the
accounts asked for; the other cuts ready payments into documents, then sends or reads the
due documents. A lane starts calls as slots free up and never waits for a call to answer:
each call records its own outcome (ADR 18). Every call's key and body were stored before
the first attempt. A round that fails unexpectedly (the database gone) is logged and
tried again after a pause; ``stop()`` ends both lanes, then waits for the calls in flight.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from benefits_shared.doorbell import Doorbell
from benefits_shared.outages import OUTAGES, POSTGRESQL, dependency_of, is_outage, wait_or_stop

from bank_gateway.account_requests import AccountRequests
from bank_gateway.bank_calls import BankCalls
from bank_gateway.document_flow import DocumentFlow

log = logging.getLogger(__name__)
MAX_PAUSE_SECONDS = 10.0


class PaymentWorker:
    def __init__(
        self,
        accounts: AccountRequests,
        documents: DocumentFlow,
        calls: BankCalls,
        idle_seconds: float,
        doorbell: Doorbell | None = None,
    ) -> None:
        self._doorbell = doorbell or Doorbell()  # the account lane's, rung by the consumer
        self._accounts = accounts
        self._calls = calls
        self._documents = documents
        self._idle = idle_seconds
        self._compose_at = 0.0
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        try:
            await asyncio.gather(
                self._lane(self._accounts.round, self._doorbell),
                self._lane(self.documents_round),  # polls: an SMS waits for no cut
            )
        finally:
            try:
                await self._accounts.give_back()
            except Exception as failure:  # PostgreSQL away: their leases end them
                log.warning("claimed requests not given back", extra={"error": repr(failure)})
            await self._calls.drain()

    async def documents_round(self) -> int:
        """Cut documents (at most once an idle pause unless the last cut found some), then
        start the due calls: a lane woken by every freed slot does not query for ready
        payments each time."""
        done = 0
        if time.monotonic() >= self._compose_at:
            done = await self._documents.compose()
            self._compose_at = time.monotonic() + (0.0 if done else self._idle)
        return done + await self._documents.advance()

    async def _lane(
        self, round_: Callable[[], Awaitable[int]], bell: Doorbell | None = None
    ) -> None:
        """Rounds until stopped; after an idle one, a pause (cut short by ``bell``'s ring)."""
        pause = self._idle
        while not self._stopping.is_set():
            try:
                busy = await round_()
                OUTAGES.answered(POSTGRESQL)
                pause = self._idle
            except Exception as failure:
                if is_outage(failure):  # PostgreSQL away: the tracker says so, once
                    OUTAGES.failed(dependency_of(failure, POSTGRESQL), failure)
                else:
                    log.exception("payment round failed", extra={"error": repr(failure)})
                busy, pause = 0, min(pause * 2, MAX_PAUSE_SECONDS)
            if busy:
                continue
            if bell is None:
                await wait_or_stop(self._stopping, pause)
            else:
                await bell.sleep(pause, self._stopping)
