"""How the payment worker calls the bank: a bounded number at once, each on its own.

A lane reserves free slots, claims that many due requests, and ``dispatch`` es one task
per request: the call, then its outcome recorded in its own transaction. The lane does not
wait for the calls: one that hangs until its time-out holds one slot, never a round of
others (ADR 18); and a call slower than :data:`SLOW_CALL_SECONDS` gives its slot back while
it waits, so the slots measure calls the bank is answering, and ``most_in_flight`` (an
HTTP connection each) bounds the calls in flight, slow ones included. For the same reason
a call gives its slot back as soon as the bank has answered (``answer``), before its
outcome is written: the bank is not working on it any more, and with 4 slots held through
the write the gateway opened 330 accounts a second where the bank answered 1,900 (ADR 18).
Until the outcome is committed the task still counts in ``most_in_flight``, so answers
waiting to be written are bounded too.

``retry_delay`` is the durable wait (the shared retry policy: exponential with jitter, or
the bank's ``Retry-After``) after which a failed call is due again; the caller stores the
instant with the request, so the schedule survives a restart, and the retry carries the
same idempotency key. While the bank's circuit breaker is open no request is claimed, so
none is refused by it and none's backoff grows for a call never made.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from datetime import datetime
from typing import TypeVar

from benefits_shared.circuit_breaker import Circuit, CircuitBreaker
from benefits_shared.clock import Clock
from benefits_shared.outages import OUTAGES, POSTGRESQL, dependency_of, is_outage
from benefits_shared.retry_policies import RetryPolicy

log = logging.getLogger(__name__)
T = TypeVar("T")
SLOT_WAIT_SECONDS = 1.0
#: A call slower than this gives its slot back while it waits (it may hang until its
#: time-out: measured, 32 slots all held by calls hanging 10 s stopped every call for
#: 5 s in 10, ADR 18).
SLOW_CALL_SECONDS = 1.0
#: The running call's way to give its slot back (each call is a task with its own context).
_SLOT: ContextVar[Callable[[], None] | None] = ContextVar("bank_call_slot", default=None)


class BankCalls:
    def __init__(
        self,
        concurrency: int,
        retry: RetryPolicy,
        clock: Clock,
        breaker: CircuitBreaker | None = None,
        most_in_flight: int | None = None,
    ) -> None:
        self.concurrency = concurrency
        #: Calls in flight at most, slow ones included (``concurrency`` unless given).
        self.most_in_flight = max(concurrency, most_in_flight or concurrency)
        self._breaker = breaker
        self._free = concurrency  # shared by every lane of the worker
        self._in_flight = 0  # reserved or calling, slow ones included
        self._freed = asyncio.Event()
        self._freed.set()
        self._running: set[asyncio.Task[None]] = set()
        self._retry = retry
        self._clock = clock

    async def start_due(
        self, claim: Callable[[int], Awaitable[Sequence[T]]], call: Callable[[T], Awaitable[None]]
    ) -> int:
        """Claim as many due requests as slots are free and start their calls; how many.

        With every slot taken it waits for one to free (at most a second) and says 1: busy.
        While the bank's circuit is open nothing is claimed (each request would only be
        refused and its backoff grow): it waits (at most a second) and says 1; a half-open
        circuit lets one request be claimed, its probe.
        """
        if self._breaker is not None and (shut := self._breaker.seconds_until_probe()) > 0:
            await asyncio.sleep(min(shut, SLOT_WAIT_SECONDS))
            return 1
        probing = self._breaker is not None and self._breaker.state is Circuit.HALF_OPEN
        slots = self.reserve(1 if probing else None)
        if not slots:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._freed.wait(), SLOT_WAIT_SECONDS)
            return 1
        due: Sequence[T] = ()
        try:
            due = await claim(slots)
        finally:
            self.release(slots - len(due))
        self.dispatch(due, call)
        return len(due)

    def reserve(self, wanted: int | None = None) -> int:
        """Take up to ``wanted`` free slots (all free ones if None); how many were taken."""
        room = self.most_in_flight - self._in_flight
        taken = min(self._free, room, self.concurrency if wanted is None else wanted)
        self._free -= taken
        self._in_flight += taken
        if not self._free or taken == room:
            self._freed.clear()
        return taken

    def release(self, slots: int) -> None:
        """Give back slots reserved but not used."""
        if slots > 0:
            self._free += slots
            self._in_flight -= slots
            self._freed.set()

    def dispatch(self, items: Sequence[T], call: Callable[[T], Awaitable[None]]) -> None:
        """One task per item, each on a slot reserved for it; returns at once."""
        for item in items:
            task = asyncio.create_task(self._one(call, item))
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    @staticmethod
    async def answer(request: Awaitable[T]) -> T:
        """Await the bank's answer to ``request``; then (answer or failure) the running
        call's slot goes back while its outcome is written."""
        try:
            return await request
        finally:
            if (give_back := _SLOT.get()) is not None:
                give_back()

    async def _one(self, call: Callable[[T], Awaitable[None]], item: T) -> None:
        holds = [True]

        def give_back() -> None:  # slow or answered: the slot goes back, the task stays
            if holds[0]:
                holds[0] = False
                slow.cancel()
                self._free += 1
                self._freed.set()

        slow = asyncio.get_running_loop().call_later(SLOW_CALL_SECONDS, give_back)
        _SLOT.set(give_back)
        try:
            await call(item)
        except Exception as failure:  # the lease makes the request due again later
            if is_outage(failure):  # its outcome not recorded, PostgreSQL away: one line
                OUTAGES.failed(dependency_of(failure, POSTGRESQL), failure)
            else:
                log.exception("bank call failed", extra={"error": repr(failure)})
        finally:
            slow.cancel()
            self._free += holds[0]
            self._in_flight -= 1
            self._freed.set()

    async def drain(self) -> None:
        """Wait for the calls in flight (each ends by its own time-out)."""
        if self._running:
            await asyncio.gather(*self._running, return_exceptions=True)

    def retry_delay(self, attempts: int, retry_after: float | None = None) -> float:
        """The wait after a failed call: it grows with the attempts only while the bank
        fails generally (``CircuitBreaker.answering``)."""
        answering = self._breaker is not None and self._breaker.answering()
        return self._retry.delay(attempts, retry_after, answering)

    def now(self) -> datetime:
        return self._clock.now()
