"""Callers that ask at the same moment share one call (the claims' group commit).

``await shared.ask()`` queues the caller; one task at a time calls ``call(n)`` for the
``n`` callers queued when it starts (at most ``most``) and hands each its own one of the
``n`` results, in the order they asked; who asks meanwhile waits for the next call.
Nothing waits for a batch to fill: a lone caller is served at once. A failed call raises
its error in each of its callers. A caller cancelled while its call runs leaves its
result unused (a notice claimed for it stays leased until its lease ends, as after a
crash).

The notifier's send lanes use it to claim due notices: eight lanes looking for work at
once take eight notices in one transaction, not one each (ADR 23).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

R = TypeVar("R")
MOST_AT_ONCE = 64


class SharedCall(Generic[R]):
    def __init__(
        self, call: Callable[[int], Awaitable[Sequence[R]]], most: int = MOST_AT_ONCE
    ) -> None:
        self._call = call
        self._most = max(1, most)
        self._asking: list[asyncio.Future[R]] = []
        self._caller: asyncio.Task[None] | None = None
        #: Calls made, and callers served by them (for tests and metrics).
        self.calls = 0
        self.served = 0

    async def ask(self) -> R:
        """This caller's result of the next call."""
        mine: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._asking.append(mine)
        if self._caller is None:
            self._caller = asyncio.create_task(self._serve(), name="shared-call")
        return await mine

    async def _serve(self) -> None:
        try:
            while self._asking:
                batch = [f for f in self._asking[: self._most] if not f.done()]
                del self._asking[: self._most]
                if batch:
                    await self._one_call(batch)
        finally:
            self._caller = None
            for asking in self._asking:  # only if this task was cancelled (shut-down)
                asking.cancel()
            self._asking.clear()

    async def _one_call(self, batch: list[asyncio.Future[R]]) -> None:
        try:
            results = await self._call(len(batch))
            if len(results) != len(batch):
                raise ValueError(f"{len(batch)} callers, {len(results)} results")
        except Exception as failure:
            for asking in batch:
                if not asking.done():
                    asking.set_exception(failure)
            return
        except BaseException:
            for asking in batch:
                asking.cancel()
            raise
        self.calls += 1
        self.served += len(batch)
        for asking, result in zip(batch, results, strict=True):
            if not asking.done():
                asking.set_result(result)
