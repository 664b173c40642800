"""Group commit: outcomes that arrive together are written in one transaction.

Many small tasks (a bank call, an SMS hand-over, a delivery report) each end by writing
its outcome: one transaction each costs a BEGIN, a COMMIT (a WAL flush) and the session
around them, more than the few rows written. ``await commits.write(item)`` queues the
item and returns once a transaction holding it has committed (or raises what stopped
it). One writer task at a time takes everything queued (up to ``most``) and writes it
with ``write_all(session, items)`` in one transaction; what arrives meanwhile waits for
the next. Nothing waits for a batch to fill: a lone item is written at once.

A batch that fails is written again one item per transaction, so that one bad item fails
only its own caller (a transient outage fails each of them, which each caller handles as
it did its own transaction). A caller that gives up (cancelled) before its batch starts
leaves its item unwritten, as a transaction of its own would have been rolled back.
``write_all`` must take its row locks in an order that does not depend on the batch
(sort the items) where two batches may lock the same rows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

log = logging.getLogger(__name__)
T = TypeVar("T")
#: Items in one transaction at most.
MOST_AT_ONCE = 64


class GroupCommit(Generic[T]):
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_all: Callable[[AsyncSession, Sequence[T]], Awaitable[object]],
        most: int = MOST_AT_ONCE,
    ) -> None:
        self._sessions = sessions
        self._write_all = write_all
        self._most = max(1, most)
        self._queued: list[tuple[T, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None
        #: Transactions committed, and items in them (for tests and metrics).
        self.batches = 0
        self.items = 0

    async def write(self, item: T) -> None:
        """Return once ``item`` is committed; raise what stopped its transaction."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queued.append((item, done))
        if self._writer is None:
            self._writer = asyncio.create_task(self._drain(), name="group-commit")
        await done

    async def _drain(self) -> None:
        try:
            while self._queued:
                batch = [(i, d) for i, d in self._queued[: self._most] if not d.done()]
                del self._queued[: self._most]
                if batch:
                    await self._commit(batch)
        finally:
            self._writer = None
            for _, done in self._queued:  # only if this task was cancelled (shut-down)
                if not done.done():
                    done.cancel()
            self._queued.clear()

    async def _commit(self, batch: list[tuple[T, asyncio.Future[None]]]) -> None:
        try:
            await self._transaction([item for item, _ in batch])
        except Exception as failure:
            if len(batch) == 1:
                _settle(batch[0][1], failure)
                return
            log.warning("a group commit failed; its items are written one by one")
            for item, done in batch:
                try:
                    await self._transaction([item])
                except Exception as own:
                    _settle(done, own)
                else:
                    _settle(done, None)
        except BaseException:
            for _, done in batch:
                if not done.done():
                    done.cancel()
            raise
        else:
            for _, done in batch:
                _settle(done, None)

    async def _transaction(self, items: list[T]) -> None:
        async with self._sessions.begin() as s:
            await self._write_all(s, items)
        self.batches += 1
        self.items += len(items)


def _settle(done: asyncio.Future[None], failure: Exception | None) -> None:
    if done.done():  # its caller gave up meanwhile
        return
    if failure is None:
        done.set_result(None)
    else:
        done.set_exception(failure)
