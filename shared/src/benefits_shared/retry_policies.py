"""How long to wait before trying a partner again: one policy per kind of failure.

Two kinds of failure, for every caller (registry connectors, bank gateway, notifier):

- **the partner is failing** (5xx, time-out, connection lost, an open circuit): exponential
  backoff with "equal jitter": the n-th consecutive failure waits a random time between
  half and all of ``min(maximum, initial × 2^(n-1))``, so callers that failed together do
  not come back together, and none hammers a partner that is down;
- **the partner asked us to wait** (a 429 or 503 with ``Retry-After``): what it asked, plus
  up to a tenth more so that a crowd does not return in the same instant, never more than
  ``retry_after_ceiling`` (a partner's mistake must not park us for a day).

The backoff grows with the failures of one piece of work only while the partner fails
generally. While it answers most calls (its circuit breaker closed and well below its
threshold, ``CircuitBreaker.answering``) a failure is the work's bad luck among random
faults, and its retry waits the first step again (half to all of ``initial``): measured,
one notice of 5,000 that met six 5xx in a row waited about 23 s after the rest under 20%
random faults, and the batch's rate depended on it from run to run (ADR 14, amended).

The waits are tenacity's wait strategies (``wait_exponential`` plus
``wait_random_exponential`` over half the step each, ``wait_fixed`` plus ``wait_random``),
computed for a given attempt number: a caller that retries in a loop sleeps the delay, a
caller that persists a next-attempt time adds it to now and stores it with the row, so the
schedule survives a restart. Either way the retry carries the same idempotency key: a
policy only ever decides *when*, never *what*.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

from tenacity import RetryCallState, Retrying
from tenacity.wait import (
    wait_base,
    wait_exponential,
    wait_fixed,
    wait_random,
    wait_random_exponential,
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Waits for consecutive failures of one partner; see the module's docstring."""

    initial: float
    maximum: float
    retry_after_ceiling: float = 3600.0

    def __post_init__(self) -> None:
        if not 0 < self.initial <= self.maximum:
            raise ValueError("a retry policy needs 0 < initial <= maximum")

    def delay(
        self, failures: int, retry_after: float | None = None, partner_answering: bool = False
    ) -> float:
        """Seconds to wait after the ``failures``-th consecutive failure (1 for the first).

        ``retry_after`` is what the partner asked for, if it did: then it decides. While
        the ``partner_answering`` other calls, the wait does not grow (see the module).
        """
        if retry_after is not None:
            return min(_wait(_asked(max(retry_after, 0.0)), 1), self.retry_after_ceiling)
        return _wait(self._failing(), 1 if partner_answering else max(failures, 1))

    def _failing(self) -> wait_base:
        half, cap = self.initial / 2, self.maximum / 2
        fixed_half = wait_exponential(multiplier=half, max=cap)
        return fixed_half + wait_random_exponential(multiplier=half, max=cap)


def _asked(seconds: float) -> wait_base:
    return wait_fixed(seconds) + wait_random(0, seconds / 10)


def _wait(strategy: wait_base, attempt: int) -> float:
    state = RetryCallState(Retrying(), None, (), {})
    state.attempt_number = min(attempt, 1000)
    return float(strategy(state))


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
