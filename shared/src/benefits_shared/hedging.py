"""Hedged calls: a second copy of a call that hangs far longer than the partner's answers.

Our partners may hang after doing the work (partners.md: "times out after doing the
work, so a retry must carry the same key"). Waiting out the time-out (10 s) before asking
again made the last calls of every burst end 10-20 s after the rest (ADR 25). Every call
we make to a partner is idempotent (a POST carries its stored ``Idempotency-Key`` and
body, a GET reads), so a second copy of the same request is safe: the partner answers it
with the first answer, or does the work once.

``Hedger(after, partner).call(request)``: ``request()`` starts the call; once it has been
unanswered for the hedge wait, ``after`` seconds *and* :data:`TIMES_TYPICAL` times the
partner's typical answer (the median of its last :data:`REMEMBERED` answers' durations),
a copy starts; after k hedge waits, the k-th one, up to :data:`COPIES`. The first of them to
end decides (its answer, or its error); the others are cancelled. A partner slow for
everyone is therefore not sent its work twice: its typical answer grows with it. A call
that hangs adds at most ``COPIES`` calls in flight ("The Tail at Scale", Dean and
Barroso, 2013; gRPC's hedging policy allows up to five attempts). With one copy, the 1 in
400 calls whose copy hung too (5% of calls hanging) waited out the time-out and made the
tail of a burst of accounts; with two, the 1 in 8,000 whose copies both hung did so in
about half the runs of 5,000 accounts (ADR 25, amended twice).
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
#: Copies a call may get: each one only if the call and every copy before it hang.
COPIES = 3
#: Requests one call may have in flight, itself and its copies: connections a pool needs
#: per call so that no copy waits to connect.
IN_FLIGHT_PER_CALL = 1 + COPIES
#: Answers whose durations make the partner's typical answer.
REMEMBERED = 64


class AnswerTimes:
    """A partner's last :data:`REMEMBERED` answer durations: a call that has waited
    :data:`TIMES_TYPICAL` times their median is an outlier (it hangs), not the partner's
    pace. Shared by the hedger and the notifier's send window."""

    def __init__(self) -> None:
        self._last: deque[float] = deque(maxlen=REMEMBERED)

    def add(self, seconds: float) -> None:
        self._last.append(seconds)

    def outlier_after(self) -> float | None:
        """The wait past which a call is an outlier; None while nothing is known."""
        return TIMES_TYPICAL * statistics.median(self._last) if self._last else None


class Hedger:
    def __init__(
        self, after: float, partner: str, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._after = after
        self._partner = partner
        self._monotonic = monotonic
        self._answers = AnswerTimes()

    def hedge_after(self) -> float:
        """How long a call waits before its copy starts, as of now."""
        return max(self._after, self._answers.outlier_after() or 0.0)

    async def call(self, request: Callable[[], Awaitable[T]]) -> T:
        """The first answer of ``request()`` or of the copies started while it hangs."""
        began = self._monotonic()
        calls = {asyncio.ensure_future(self._timed(request))}
        try:
            while True:
                # the k-th copy starts once the call has waited k hedge waits
                due = len(calls) * self.hedge_after() if len(calls) <= COPIES else None
                waited = self._monotonic() - began
                wait = None if due is None else max(0.0, due - waited)
                done, _ = await asyncio.wait(calls, timeout=wait, return_when=FIRST_COMPLETED)
                if done:
                    return done.pop().result()
                if due is not None and self._monotonic() - began >= due:
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
        self._answers.add(self._monotonic() - began)
        return answer
