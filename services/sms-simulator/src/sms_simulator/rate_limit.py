"""The gateway's rate limit: a token bucket refilled at ``rate`` messages per second."""

from __future__ import annotations

import math
from collections.abc import Callable


class TokenBucket:
    """Holds up to ``rate`` tokens (at least one); each message takes one.

    ``take`` answers None when the message may pass, else the whole seconds to wait: the
    ``Retry-After`` the gateway sends with its 429.
    """

    def __init__(self, monotonic: Callable[[], float]) -> None:
        self._monotonic = monotonic
        self._tokens: float | None = None
        self._at = monotonic()

    def take(self, rate: float) -> int | None:
        if rate <= 0:
            return None
        capacity = max(rate, 1.0)
        now = self._monotonic()
        tokens = capacity if self._tokens is None else self._tokens
        tokens = min(capacity, tokens + (now - self._at) * rate)
        self._at = now
        if tokens >= 1.0:
            self._tokens = tokens - 1.0
            return None
        self._tokens = tokens
        return max(1, math.ceil((1.0 - tokens) / rate))
