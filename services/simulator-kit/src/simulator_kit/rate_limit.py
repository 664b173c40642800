"""A partner's rate limit: a token bucket refilled at ``rate`` requests a second."""

from __future__ import annotations

import math
from collections.abc import Callable


class TokenBucket:
    """Holds up to ``rate`` tokens (at least one); each request takes one.

    ``take`` answers None when the request may pass, else the whole seconds to wait before
    a token is back: the ``Retry-After`` of the 429.
    """

    def __init__(self, monotonic: Callable[[], float]) -> None:
        self._monotonic = monotonic
        self._tokens: float | None = None
        self._at = monotonic()

    def take(self, rate: float) -> int | None:
        if rate <= 0:
            return None
        now = self._monotonic()
        capacity = max(rate, 1.0)
        full = capacity if self._tokens is None else self._tokens
        self._tokens = min(capacity, full + (now - self._at) * rate)
        self._at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return None
        return max(1, math.ceil((1.0 - self._tokens) / rate))
