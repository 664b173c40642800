"""How the payment worker calls the bank: a bounded number at once, retries spaced out.

``each`` runs one call per item with at most ``concurrency`` in flight; ``retry_delay``
is the durable wait (the shared retry policy: exponential with jitter, or the bank's
``Retry-After``) after which a failed call is due again; the caller stores the instant with
the request, so the schedule survives a restart, and the retry carries the same key.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TypeVar

from benefits_shared.clock import Clock
from benefits_shared.retry_policies import RetryPolicy

T = TypeVar("T")
R = TypeVar("R")


class BankCalls:
    def __init__(self, concurrency: int, retry: RetryPolicy, clock: Clock) -> None:
        self.concurrency = concurrency
        self.batch = concurrency * 8
        self._gate = asyncio.Semaphore(concurrency)  # shared by every lane of the worker
        self._retry = retry
        self._clock = clock

    async def each(self, items: Sequence[T], call: Callable[[T], Awaitable[R]]) -> list[R]:
        async def one(item: T) -> R:
            async with self._gate:
                return await call(item)

        return list(await asyncio.gather(*(one(item) for item in items)))

    def retry_delay(self, attempts: int, retry_after: float | None = None) -> float:
        return self._retry.delay(attempts, retry_after)

    def now(self) -> datetime:
        return self._clock.now()
