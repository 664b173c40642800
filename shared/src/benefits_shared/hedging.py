"""Hedged calls: a second copy of a call that hangs far longer than the partner's answers.

Our partners may hang after doing the work (partners.md: "times out after doing the
work, so a retry must carry the same key"). Waiting out the time-out (10 s) before asking
again made the last calls of every burst end 10-20 s after the rest (ADR 25). Every call
we make to a partner is idempotent (a POST carries its stored ``Idempotency-Key`` and
body, a GET reads), so a second copy of the same request is safe: the partner answers it
with the first answer, or does the work once.

``Hedger(after, partner).call(request)``: ``request()`` starts the call; once it has been
unanswered for ``after`` seconds *and* for :data:`TIMES_TYPICAL` times the partner's
typical answer (the median of its last :data:`REMEMBERED` answers' durations), one copy
starts, and the first of the two to end decides (its answer, or its error); the other is
cancelled. A partner slow for everyone is therefore not sent its work twice: its typical
answer grows with it. At most one copy per call, so hedging adds at most one call in
flight for each call that hangs ("The Tail at Scale", Dean and Barroso, 2013; gRPC's
hedging policy).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from asyncio import FIRST_COMPLETED
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TypeVar

from benefits_shared.metrics import PARTNER_HEDGES

T = TypeVar("T")
#: A copy starts once a call has waited this many times the partner's typical answer.
TIMES_TYPICAL = 4.0
#: Answers whose durations make the partner's typical answer.
REMEMBERED = 64


class Hedger:
    def __init__(
        self, after: float, partner: str, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._after = after
        self._partner = partner
        self._monotonic = monotonic
        self._answers: deque[float] = deque(maxlen=REMEMBERED)

    def hedge_after(self) -> float:
        """How long a call waits before its copy starts, as of now."""
        typical = statistics.median(self._answers) if self._answers else 0.0
        return max(self._after, TIMES_TYPICAL * typical)

    async def call(self, request: Callable[[], Awaitable[T]]) -> T:
        """The first answer of ``request()`` or of the one copy started if it hangs."""
        began = self._monotonic()
        calls = {asyncio.ensure_future(self._timed(request))}
        try:
            while True:
                waited = self._monotonic() - began
                wait = max(0.0, self.hedge_after() - waited) if len(calls) == 1 else None
                done, _ = await asyncio.wait(calls, timeout=wait, return_when=FIRST_COMPLETED)
                if done:
                    return done.pop().result()
                if self._monotonic() - began >= self.hedge_after():
                    PARTNER_HEDGES.labels(partner=self._partner).inc()
                    calls.add(asyncio.ensure_future(self._timed(request)))
        finally:
            for call in calls:
                if not call.done():
                    call.cancel()
                elif not call.cancelled():
                    call.exception()  # both ended at once: the loser's error is not news

    async def _timed(self, request: Callable[[], Awaitable[T]]) -> T:
        began = self._monotonic()
        answer = await request()
        self._answers.append(self._monotonic() - began)
        return answer
