"""Sending within the gateway's rate limit: at most ``rate`` messages a second.

A token bucket holding one token: messages leave evenly spaced, never in a burst, so the
morning queue after quiet hours drains at the agreed pace instead of earning ``429``\\ s.
Concurrent senders each ``reserve`` their own instant, so together they keep the pace.
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
