"""The loop every connector runs: a step at a time, a pause when caught up, backoff on failure.

A step reads one unit (a page, the new files), publishes it and moves the checkpoint; it
answers whether more is waiting. A transient failure (registry down or slow, 429, Kafka or
PostgreSQL unreachable) waits as the shared retry policy says (``Retry-After`` if the
registry said, else exponential backoff with jitter) and repeats the same step: nothing
is skipped, since the checkpoint only moves after Kafka acknowledged. A permanent failure
ends the loop (and the process).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from benefits_shared.outages import OUTAGES, POSTGRESQL, dependency_of, is_outage
from benefits_shared.retry_policies import RetryPolicy

from registry_connectors.errors import RegistryUnavailable, is_transient

log = logging.getLogger(__name__)

Step = Callable[[], Awaitable[bool]]
Finish = Callable[[], Awaitable[None]]


class Poller:
    def __init__(
        self,
        name: str,
        step: Step,
        idle_seconds: float,
        retry: RetryPolicy,
        finish: Finish | None = None,
    ) -> None:
        self.name = name
        self._step = step
        self._finish = finish
        self._idle = idle_seconds
        self._retry = retry
        self._failures = 0
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        log.info("connector started", extra={"connector": self.name})
        while not self._stopping.is_set():
            try:
                more = await self._step()
            except Exception as exc:
                if not is_transient(exc):
                    log.exception("connector failed", extra={"connector": self.name})
                    raise
                await self._pause(self._failure_delay(exc))
                continue
            self._failures = 0
            OUTAGES.answered(POSTGRESQL)
            if not more:
                await self._pause(self._idle)
        if self._finish is not None:
            await self._finish()
        log.info("connector stopped", extra={"connector": self.name})

    def stop(self) -> None:
        self._stopping.set()

    def _failure_delay(self, exc: Exception) -> float:
        retry_after = exc.retry_after if isinstance(exc, RegistryUnavailable) else None
        self._failures += 1
        delay = self._retry.delay(self._failures, retry_after)
        if is_outage(exc):  # Kafka or PostgreSQL away: the tracker says so once (ADR 21)
            OUTAGES.failed(dependency_of(exc, POSTGRESQL), exc)
            return delay
        log.warning(
            "step failed, retrying",
            extra={
                "connector": self.name,
                "error": f"{type(exc).__name__}: {exc}",
                "failures": self._failures,
                "delay_s": round(delay, 3),
            },
        )
        return delay

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
