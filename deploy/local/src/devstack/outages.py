"""Riding out a broker or a database that is briefly away, for the main job's observer.

A fresh broker has no group coordinator until its offsets topic exists; a broker or a
PostgreSQL restarted under a run refuses connections for a while. What the observer reads
(offsets, lag, topics, the notifier's held notices) is retried with a backoff on every
transient error (``benefits_shared.outages.is_transient``, a client time-out included),
and the run's output says so once when a source goes away and once when it answers again,
never once per attempt. A source away longer than ``give_up_after_s`` is an error.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from benefits_shared.outages import Backoff, describe, is_transient

log = logging.getLogger("devstack.outages")
T = TypeVar("T")


class SourceUnavailableError(RuntimeError):
    """A source stayed away longer than the observer waits: the run cannot be observed."""


@dataclass
class Outages:
    """Retries reads of named sources and reports each one's state changes."""

    give_up_after_s: float = 300.0
    initial_backoff_s: float = 0.5
    max_backoff_s: float = 10.0
    #: Source name → the monotonic time it went away.
    away: dict[str, float] = field(default_factory=dict)
    #: Source name → failed attempts so far (what the log does not show one by one).
    failures: Counter[str] = field(default_factory=Counter)

    async def ride_out(self, source: str, read: Callable[[], Awaitable[T]]) -> T:
        """``read()``'s result, asking again with a backoff while ``source`` is away."""
        backoff = Backoff(self.initial_backoff_s, self.max_backoff_s)
        while True:
            try:
                result = await read()
            except Exception as exc:
                if not is_transient(exc):
                    raise
                self.failures[source] += 1
                self._went_away(source, exc)
                await asyncio.sleep(backoff.pause())
                continue
            self._answers(source)
            return result

    def _went_away(self, source: str, exc: BaseException) -> None:
        if source not in self.away:
            self.away[source] = time.monotonic()
            log.warning("%s is not answering (%s): retrying with backoff", source, describe(exc))
        elif time.monotonic() - self.away[source] > self.give_up_after_s:
            raise SourceUnavailableError(
                f"{source} did not answer for {self.give_up_after_s:.0f} s ({describe(exc)})"
            ) from exc

    def _answers(self, source: str) -> None:
        if source in self.away:
            since = self.away.pop(source)
            log.warning("%s answers again (away %.0f s)", source, time.monotonic() - since)
