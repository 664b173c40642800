"""Sending within the gateway's rate limit: at most ``rate`` messages a second.

A token bucket holding one token: messages leave evenly spaced, never in a burst, so the
morning queue after quiet hours drains at the agreed pace instead of earning ``429``\\ s.
Concurrent senders each ``reserve`` their own instant, so together they keep the pace.

A ``429`` with ``Retry-After``: one among other answers is that request's (it is tried
again after ``Retry-After``, and the send window halves); two in a row are the gateway's
limit, and nothing leaves until ``Retry-After`` is over (ADR 18). A gateway over its limit
answers every request so; a random 429 now and then must not stop all sending each time
(at 5% of calls and 1 s each, that alone would cap sending at 20 a second).
"""

from __future__ import annotations

from collections.abc import Callable


class Pacer:
    def __init__(self, rate: float, monotonic: Callable[[], float]) -> None:
        if rate <= 0:
            raise ValueError("the sending rate must be positive")
        self._interval = 1.0 / rate
        self._monotonic = monotonic
        self._next = monotonic()
        self._limited = False  # the gateway's last answer was a 429

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
        its answer before said so too."""
        in_a_row, self._limited = self._limited, True
        if in_a_row:
            self.hold(retry_after)
        return in_a_row

    def answered(self) -> None:
        """The gateway answered something else (a time-out is no answer)."""
        self._limited = False
