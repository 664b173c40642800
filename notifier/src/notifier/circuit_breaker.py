"""When to stop calling a gateway that keeps failing, and when to try it again.

``threshold`` consecutive failures (5xx, time-outs, no connection) open the breaker: no
call for ``cooldown`` seconds. Then it is half-open: one trial call; a success closes it,
a failure opens it again for another cooldown. A ``429`` is not a failure of the gateway
(it works, we are too fast): the caller waits its ``Retry-After`` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(self, threshold: int, cooldown: float, monotonic: Callable[[], float]) -> None:
        if threshold < 1 or cooldown < 0:
            raise ValueError("a breaker needs threshold >= 1 and cooldown >= 0")
        self._threshold = threshold
        self._cooldown = cooldown
        self._monotonic = monotonic
        self._failures = 0
        self._opened_at: float | None = None

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._monotonic() - self._opened_at < self._cooldown:
            return BreakerState.OPEN
        return BreakerState.HALF_OPEN

    def wait_seconds(self) -> float:
        """0 when a call may go now; else how long the breaker stays open."""
        if self.state is not BreakerState.OPEN:
            return 0.0
        assert self._opened_at is not None
        return self._cooldown - (self._monotonic() - self._opened_at)

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None

    def record_failure(self) -> None:
        self._failures += 1
        if self.state is BreakerState.HALF_OPEN or self._failures >= self._threshold:
            self._opened_at = self._monotonic()
