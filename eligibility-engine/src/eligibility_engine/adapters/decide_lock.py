"""One decider of a case at a time: the event handler's batches and a replay's slices.

Both read a case's state, decide and write the next decision at the next position; run
at once on the same case they would both write that position. Every handler batch holds
a shared PostgreSQL advisory lock for its transaction (batches still run side by side,
on any number of replicas); an applied replay slice holds it exclusively, so it waits for
the batches in flight and the next ones wait for it (a slice is short).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

T = TypeVar("T")
SHARED = text("SELECT pg_advisory_xact_lock_shared(hashtext(:k))")
EXCLUSIVE = text("SELECT pg_advisory_xact_lock(hashtext(:k))")


class DecideLock:
    def __init__(self, engine: AsyncEngine, schema: str) -> None:
        self._engine = engine
        self.schema = schema
        self._key = {"k": f"{schema}:decide"}

    def shared_around(
        self, handle: Callable[[Sequence[T]], Awaitable[None]]
    ) -> Callable[[Sequence[T]], Awaitable[None]]:
        """``handle`` holding the shared lock (on a connection of its own) while it runs."""

        async def locked(batch: Sequence[T]) -> None:
            async with self._engine.begin() as conn:
                await conn.execute(SHARED, self._key)
                await handle(batch)

        return locked

    async def exclusive(self, s: AsyncSession) -> None:
        """Hold the lock alone until ``s``'s transaction ends."""
        await s.execute(EXCLUSIVE, self._key)
