"""How the payment worker calls the bank: a bounded number at once, retries spaced out.

``each`` runs one call per item with at most ``concurrency`` in flight; ``retry_delay``
is the durable backoff (full jitter, ``Retry-After`` as a floor) after which a failed call
is due again, with the same idempotency key.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TypeVar

from benefits_shared.clock import Clock

from bank_gateway.backoff import Backoff

T = TypeVar("T")
R = TypeVar("R")


class BankCalls:
    def __init__(
        self, concurrency: int, backoff: Backoff, clock: Clock, rng: random.Random | None = None
    ) -> None:
        self.concurrency = concurrency
        self.batch = concurrency * 8
        self._gate = asyncio.Semaphore(concurrency)  # shared by every lane of the worker
        self._backoff = backoff
        self._clock = clock
        self._rng = rng or random.Random()

    async def each(self, items: Sequence[T], call: Callable[[T], Awaitable[R]]) -> list[R]:
        async def one(item: T) -> R:
            async with self._gate:
                return await call(item)

        return list(await asyncio.gather(*(one(item) for item in items)))

    def retry_delay(self, attempts: int, retry_after: float | None = None) -> float:
        return self._backoff.delay(attempts, self._rng, retry_after)

    def now(self) -> datetime:
        return self._clock.now()
