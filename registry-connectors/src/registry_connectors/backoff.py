"""How long to wait before asking a registry again.

Exponential backoff with "equal jitter": the n-th consecutive failure waits a random time
between half and all of ``min(maximum, initial * 2**n)``, so many connectors that failed
together do not come back together, and none waits less than half its step. A registry
that says ``Retry-After`` is obeyed instead (up to a ceiling we choose).
"""

from __future__ import annotations

import random
from datetime import datetime
from email.utils import parsedate_to_datetime


class Backoff:
    def __init__(
        self,
        initial: float,
        maximum: float,
        retry_after_max: float,
        rng: random.Random | None = None,
    ) -> None:
        if not 0 < initial <= maximum:
            raise ValueError("backoff needs 0 < initial <= maximum")
        self._initial = initial
        self._maximum = maximum
        self._retry_after_max = retry_after_max
        self._rng = rng or random.Random()
        self.failures = 0

    def next_delay(self, retry_after: float | None = None) -> float:
        """The pause after one more failure; ``retry_after`` is what the server asked for."""
        step = min(self._maximum, self._initial * 2 ** min(self.failures, 62))
        self.failures += 1
        if retry_after is not None:
            return min(max(retry_after, 0.0), self._retry_after_max)
        return self._rng.uniform(step / 2, step)

    def reset(self) -> None:
        """A success: the next failure starts from the initial step again."""
        self.failures = 0


def retry_after_seconds(header: str | None, now: datetime) -> float | None:
    """``Retry-After`` as seconds: delta-seconds or an HTTP-date; None if absent or unreadable."""
    if header is None:
        return None
    text = header.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max((when - now).total_seconds(), 0.0)
