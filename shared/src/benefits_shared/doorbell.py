"""A doorbell: a poller that found no work sleeps until its next look, unless a part of
the same process rings because it has just committed work for it.

The senders and lanes of a service look at a table every few hundred milliseconds, and
they must: work committed by another process (another instance, an ops command) is only
found by looking. Within one process the part that commits the work knows the moment it
exists, so it rings after its commit and the poller looks at once instead of at the end of
its pause: an SMS no longer waits up to a pause at each hop (ADR 0022). A ring is
only a hint. A ring that comes while the poller is busy makes its next sleep end at once
(one look more); the poll stays, so a ring lost costs a pause, never the work.
"""

from __future__ import annotations

import asyncio


class Doorbell:
    def __init__(self) -> None:
        self._rung = asyncio.Event()

    def ring(self) -> None:
        """Work may be waiting: the sleepers wake, and so does the next one to sleep."""
        self._rung.set()

    async def sleep(self, seconds: float, stopping: asyncio.Event) -> bool:
        """Sleep ``seconds``, or until a ring (even one since the last sleep) or a stop;
        whether a ring ended it."""
        rung = self._rung.is_set()
        if not rung and not stopping.is_set():
            ring, stop = (asyncio.ensure_future(e.wait()) for e in (self._rung, stopping))
            try:
                await asyncio.wait({ring, stop}, timeout=seconds, return_when="FIRST_COMPLETED")
            finally:
                ring.cancel()
                stop.cancel()
            rung = ring.done() and not ring.cancelled()
        self._rung.clear()
        return rung
