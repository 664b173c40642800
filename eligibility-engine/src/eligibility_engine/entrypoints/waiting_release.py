"""The releaser: decides, a slice per transaction, the waiting cases a progress marker has
covered beyond the slice the marker's own batch decided (ADR 0028).

A marker that completes the engine's copy of a registry can cover every case held while
the copy loaded: at first start, after a connector's outage, on a national backfill, a
whole population. The marker's batch decides the first ``release_at_once`` of them; the
handler then rings this part, which decides the rest in transactions of the same size, in
key order, each under the decide lock like a batch. Memory and a transaction's length
stay bounded whatever the backlog, and the consumer goes on polling meanwhile.

It also makes a pass when it starts (a pass cut short by a kill or an outage goes on) and
every ``every_s`` seconds (a marker read by another instance that stopped before its
pass). A pass over no covered case is one indexed query. After each pass it gauges what
still waits, for ops (``metrics.show_waiting``).
"""

from __future__ import annotations

import asyncio
import logging

from benefits_shared.doorbell import Doorbell
from benefits_shared.outages import Backoff, riding_out

from eligibility_engine.case_keys import CaseKey
from eligibility_engine.entrypoints.event_handler import EventHandler
from eligibility_engine.metrics import show_waiting

log = logging.getLogger(__name__)
EVERY_SECONDS = 60.0


class WaitingReleaser:
    def __init__(
        self, handler: EventHandler, doorbell: Doorbell, every_s: float = EVERY_SECONDS
    ) -> None:
        self._handler = handler
        self._doorbell = doorbell  # the handler's
        self._every_s = every_s
        self._stopping = asyncio.Event()
        self._outage = Backoff()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        """A pass now, then one at each ring and every ``every_s`` seconds, until stopped.
        While PostgreSQL is away the pause grows and the next pass starts again from the
        first key (a slice cut off rolled back: its cases still wait)."""
        while not self._stopping.is_set():
            pause = await riding_out(self._pass, self._outage)
            await self._doorbell.sleep(pause, self._stopping)

    async def _pass(self) -> float:
        """Slices until none is left (or stopping); the pause before the next pass."""
        after: CaseKey | None = None
        slices = 0
        while not self._stopping.is_set():
            after = await self._handler.release_waiting(after)
            slices += 1
            if after is None:
                break
        if slices > 1:
            log.info("waiting cases released", extra={"slices": slices})
        show_waiting(await self._handler.waiting())
        return self._every_s
