"""When to try a bank call again: exponential backoff with full jitter, durable.

The delay after the ``attempt``-th failure is drawn uniformly from
``[0, min(cap, base × 2^(attempt-1))]`` (AWS's "full jitter"), so that many requests that
failed together do not come back together; a ``Retry-After`` from the bank is a floor.
The caller stores the resulting instant with the request, so the schedule survives a
restart, and the retry carries the request's stored idempotency key.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    base_seconds: float
    cap_seconds: float

    def delay(self, attempt: int, rng: random.Random, retry_after: float | None = None) -> float:
        """Seconds to wait after the ``attempt``-th failure (1 for the first)."""
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** max(attempt - 1, 0))
        jittered = rng.uniform(0, ceiling)
        return max(jittered, retry_after or 0.0)
