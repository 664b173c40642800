"""A circuit breaker per partner: stop calling one that keeps failing, then probe.

::

    CLOSED ──failures ≥ threshold among the last `window` calls──► OPEN ──open_seconds──► HALF_OPEN
      ▲                                                                      │      │
      └──────────────────────────────── a success ◄─────────────────────────┘      │
                                         a failure ─► OPEN (again, for open_seconds) ◄┘

``window`` is ``failure_threshold`` unless given: then the threshold's failures must come
in a row. A wider window opens on a failure *rate* (resilience4j's sliding window): 20 of
the last 40, say, opens for a partner that is down and never for one that fails one call
in seven at random, whose failures still come several in a row now and then (the calls
that hang until their time-out end together, since they started together).

While OPEN no call is made (the caller schedules the work for later, or waits
``seconds_until_probe``); HALF_OPEN lets one probe through at a time when callers ask
``allow``. Only failures of the partner count (5xx, time-outs, no connection): a refusal
is an answer and a ``429`` means we are too fast, not that it is down.

A call that got no answer in time (``timed_out``) counts only if no call begun after it
has succeeded since: such a call says the partner answers, and this one hung on its own.
Without the rule the calls that hang until their time-out open the circuit at the end of a
burst, when no new call starts and the last calls to end are the slow ones (measured: a
30-s stop after every burst of SMS, ADR 18). Used by the bank
gateway and the notifier; the clock is injected so that tests never wait.
"""

from __future__ import annotations

import time
from collections import deque
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
        window: int | None = None,
    ) -> None:
        window = failure_threshold if window is None else window
        if failure_threshold < 1 or open_seconds < 0 or window < failure_threshold:
            raise ValueError(
                "a breaker needs failure_threshold >= 1, open_seconds >= 0 and a window"
                " of at least failure_threshold calls"
            )
        self._threshold = failure_threshold
        self._open_seconds = open_seconds
        self._now = now
        self._recent: deque[bool] = deque(maxlen=window)  # the last calls: True if failed
        self._opened_at: float | None = None
        self._probing = False
        self._answered_since = float("-inf")  # when the latest call that succeeded began

    def now(self) -> float:
        """The breaker's clock: when a call begins (for ``succeeded`` and ``timed_out``)."""
        return self._now()

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

    def succeeded(self, began: float | None = None) -> None:
        """A call (begun at ``began``, now if not given) succeeded."""
        if self._opened_at is not None:  # closed again: the failures before are forgotten
            self._recent.clear()
        self._recent.append(False)
        self._opened_at, self._probing = None, False
        self._answered_since = max(self._answered_since, self._now() if began is None else began)

    def answering(self) -> bool:
        """Whether the partner answers most calls now: closed, with fewer than half the
        failures that would open it among the recent calls. A call that fails then failed
        on its own (the partner's faults at random), not in an outage: its retry need not
        wait longer for each failure (``RetryPolicy.delay``)."""
        return self.state is Circuit.CLOSED and 2 * sum(self._recent) < self._threshold

    def failed(self) -> None:
        self._recent.append(True)
        if self._probing or sum(self._recent) >= self._threshold:
            self._opened_at, self._probing = self._now(), False

    def timed_out(self, began: float) -> None:
        """A call begun at ``began`` got no answer in time: a failure unless a call begun
        after it has succeeded since (a probe's time-out always counts)."""
        if self._probing or began >= self._answered_since:
            self.failed()

    def seconds_until_probe(self) -> float:
        """0 when a call may go now (closed or half-open); else how long it stays open."""
        if self._opened_at is None:
            return 0.0
        return max(0.0, self._open_seconds - (self._now() - self._opened_at))
