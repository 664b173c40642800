"""A circuit breaker per partner: stop calling one that keeps failing, then probe.

::

    CLOSED ──failures in a row ≥ threshold──► OPEN ──open_seconds passed──► HALF_OPEN
      ▲                                                                   │      │
      └──────────────────────────── a success ◄──────────────────────────┘      │
                                     a failure ─► OPEN (again, for open_seconds) ◄┘

While OPEN no call is made (the caller schedules the work for later, or waits
``seconds_until_probe``); HALF_OPEN lets one probe through at a time when callers ask
``allow``. Only failures of the partner count (5xx, time-outs, no connection): a refusal
is an answer and a ``429`` means we are too fast, not that it is down. Used by the bank
gateway and the notifier; the clock is injected so that tests never wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum


class Circuit(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(
        self,
        failure_threshold: int,
        open_seconds: float,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1 or open_seconds < 0:
            raise ValueError("a breaker needs failure_threshold >= 1 and open_seconds >= 0")
        self._threshold = failure_threshold
        self._open_seconds = open_seconds
        self._now = now
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> Circuit:
        if self._opened_at is None:
            return Circuit.CLOSED
        if self._now() - self._opened_at < self._open_seconds:
            return Circuit.OPEN
        return Circuit.HALF_OPEN

    def allow(self) -> bool:
        """Whether a call may be made now (a half-open circuit lets one probe through)."""
        state = self.state
        if state is Circuit.CLOSED:
            return True
        if state is Circuit.HALF_OPEN and not self._probing:
            self._probing = True
            return True
        return False

    def succeeded(self) -> None:
        self._failures, self._opened_at, self._probing = 0, None, False

    def failed(self) -> None:
        self._failures += 1
        if self._probing or self._failures >= self._threshold:
            self._opened_at, self._probing = self._now(), False

    def seconds_until_probe(self) -> float:
        """0 when a call may go now (closed or half-open); else how long it stays open."""
        if self._opened_at is None:
            return 0.0
        return max(0.0, self._open_seconds - (self._now() - self._opened_at))
