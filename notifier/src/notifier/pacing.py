"""Sending within the gateway's rate limit: at most ``rate`` messages a second.

A token bucket holding one token: messages leave evenly spaced, never in a burst, so the
morning queue after quiet hours drains at the agreed pace instead of earning ``429``\\ s.
Concurrent senders each ``reserve`` their own instant, so together they keep the pace.

A ``429`` with ``Retry-After``: one among other answers is that request's (it is tried
again after ``Retry-After``, and the send window halves); most of the last
:data:`RECENT_ANSWERS` answers being 429s is the gateway's limit, and nothing leaves until
``Retry-After`` is over (ADR 18). A gateway over its limit answers most requests so; a
random 429 now and then must not stop all sending (at 5% of calls and 1 s each, that alone
would cap sending at 20 a second). Nor must two random ones in a row: at 100 answers a
second and 5% of 429s, that happens every 4 s (measured: a 1-s stop every 4 s).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

#: The gateway's answers the pacer remembers; more than half of them 429s hold all sending.
#: At 5% of random 429s, five of eight come once in about 60,000 answers.
RECENT_ANSWERS = 8


class Pacer:
    def __init__(self, rate: float, monotonic: Callable[[], float]) -> None:
        if rate <= 0:
            raise ValueError("the sending rate must be positive")
        self._interval = 1.0 / rate
        self._monotonic = monotonic
        self._next = monotonic()
        self._recent: deque[bool] = deque(maxlen=RECENT_ANSWERS)  # True: a 429

    def wait_seconds(self) -> float:
        """0 when a message may leave now; else how long until one may."""
        return max(0.0, self._next - self._monotonic())

    def take(self) -> None:
        """A message leaves now: the next one may leave one interval later."""
        self._next = max(self._next, self._monotonic()) + self._interval

    def reserve(self) -> float:
        """Book the next instant a message may leave; the seconds until it comes."""
        now = self._monotonic()
        at = max(self._next, now)
        self._next = at + self._interval
        return at - now

    def hold(self, seconds: float) -> None:
        """Send nothing for ``seconds`` (the gateway's ``Retry-After``)."""
        self._next = max(self._next, self._monotonic() + seconds)

    def rate_limited(self, retry_after: float) -> bool:
        """The gateway answered ``429``; True (and nothing leaves for ``retry_after``) if
        more than half of its last answers said so."""
        self._recent.append(True)
        limited = sum(self._recent) * 2 > RECENT_ANSWERS
        if limited:
            self.hold(retry_after)
        return limited

    def answered(self) -> None:
        """The gateway answered something else (a time-out is no answer)."""
        self._recent.append(False)
