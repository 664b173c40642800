"""A doorbell: a poller that found no work sleeps until its next look, unless a part of
the same process rings because it has just committed work for it.

The senders and lanes of a service look at a table every few hundred milliseconds, and
they must: work committed by another process (another instance, an ops command) is only
found by looking. Within one process the part that commits the work knows the moment it
exists, so it rings after its commit and a poller looks at once instead of at the end of
its pause (ADR 0022).

A ring wakes one sleeper, or, if none sleeps, ends the next sleep: several pollers of one
table (the notifier's send lanes) do not all query at every ring. A poller that found
work rings again, so another one joins while there is more. A ring is only a hint: the
poll stays, so a ring lost costs a pause, never the work.
"""

from __future__ import annotations

import asyncio
import collections


class Doorbell:
    def __init__(self) -> None:
        self._sleepers: collections.deque[asyncio.Future[object]] = collections.deque()
        self._waiting = False  # a ring that found no sleeper, for the next

    def ring(self) -> None:
        """Work may be waiting: one sleeper wakes, else the next one to sleep."""
        while self._sleepers:
            sleeper = self._sleepers.popleft()
            if not sleeper.done():
                sleeper.set_result(None)
                return
        self._waiting = True

    async def sleep(self, seconds: float, stopping: asyncio.Event) -> bool:
        """Sleep ``seconds``, or until a ring (even one that came while nobody slept) or a
        stop; whether a ring ended it."""
        if self._waiting:
            self._waiting = False
            return True
        if stopping.is_set():
            return False
        rung: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        stop: asyncio.Future[object] = asyncio.ensure_future(stopping.wait())
        self._sleepers.append(rung)
        try:
            await asyncio.wait({rung, stop}, timeout=seconds, return_when="FIRST_COMPLETED")
        finally:
            stop.cancel()
            if not rung.done():
                rung.cancel()  # skipped by the next ring
        return not rung.cancelled()
