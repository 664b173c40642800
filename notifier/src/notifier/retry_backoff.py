"""How long a notice waits before its next attempt after a transient failure.

Exponential with "equal jitter": the n-th consecutive failure of a notice waits a random
time between half and all of ``min(maximum, initial * 2**(n-1))``, so notices that failed
together do not come back together. A ``429`` is obeyed: its ``Retry-After``, plus up to
a tenth more so that a crowd of waiting notices does not return in the same instant.
"""

from __future__ import annotations

import random


class RetryBackoff:
    def __init__(self, initial: float, maximum: float, rng: random.Random | None = None) -> None:
        if not 0 < initial <= maximum:
            raise ValueError("backoff needs 0 < initial <= maximum")
        self._initial = initial
        self._maximum = maximum
        self._rng = rng or random.Random()

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        """The pause after the ``failures``-th consecutive failure (1 for the first)."""
        if retry_after is not None:
            return retry_after * self._rng.uniform(1.0, 1.1)
        step = min(self._maximum, self._initial * 2 ** min(max(failures, 1) - 1, 62))
        return self._rng.uniform(step / 2, step)
