"""The MSE connector: each new commission file in the drop folder into ``life-events``.

Per file, in day and version order: read it, skip it if this name and content were
processed already, plan it against the events already published for its day (pure), send
and await Kafka's acks, then record the file and its event ids in one transaction. A crash
before that commit makes the next run process the file again with the same ids.

A look at the folder that finds no new file, after files were published (or the first look
of a run: the run before may have stopped before its marker), is followed by a
``MseDropProgress`` marker on every partition of ``life-events``, ``as_of`` the moment of
that look: every file in the folder then is published, so every certificate that arrived
before it comes before the marker, and so does every later certificate or revocation of
its holder that the folder already held (ADR 0008). A look that published files asks for
the next look at once, so the marker follows the last file within a step.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from benefits_shared.clock import Clock
from benefits_shared.contracts.progress import MseDropProgress

from registry_connectors.mse_files import DropName, FilePlanner, content_hash, drop_name
from registry_connectors.outgoing import progress_messages
from registry_connectors.ports import DropFolder, MseMemory, Publisher

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MseParts:
    folder: DropFolder
    store: MseMemory
    planner: FilePlanner
    publisher: Publisher
    clock: Clock


class MseWatcher:
    def __init__(self, parts: MseParts) -> None:
        self._p = parts
        self._confirmed: dict[str, str] = {}  # name → signature known to be processed
        self._unmarked = True  # files published since the last marker (or maybe, at start)

    async def step(self) -> bool:
        """Every new file of the folder; True: look again at once (files were published,
        and the marker that follows them needs a look that finds nothing new)."""
        looked_at = self._p.clock.now()  # before the listing: its files were there by then
        listing = await self._p.folder.listing()
        drops = sorted(
            d
            for name, signature in listing.items()
            if self._confirmed.get(name) != signature and (d := drop_name(name))
        )
        done = await self._p.store.processed([d.name for d in drops])
        published = False
        for drop in drops:
            content = await self._p.folder.read(drop.name)
            digest = content_hash(content)
            if (drop.name, digest) not in done:
                self._unmarked = published = True
                await self._process(drop, content, digest)
            self._confirmed[drop.name] = listing[drop.name]
        if not published and self._unmarked:
            await self._caught_up(looked_at)
            self._unmarked = False
        return published

    async def _caught_up(self, looked_at: datetime) -> None:
        """Every file the folder held at ``looked_at`` is in ``life-events``: say so."""
        topic = self._p.planner.topic
        partitions = await self._p.publisher.partitions(topic)
        markers = progress_messages(topic, partitions, MseDropProgress, looked_at, as_of=looked_at)
        await self._p.publisher.publish(markers)

    async def _process(self, drop: DropName, content: bytes, digest: str) -> None:
        p = self._p
        published = await p.store.published_on(drop.day)
        plan = p.planner.plan(drop, content, published, p.clock.now())
        await p.publisher.publish(plan.messages)
        await p.store.record(drop, digest, plan)
        log.info(
            "mse file done",
            extra={
                "file": drop.name,
                "rows": plan.rows,
                "published": len(plan.published_ids),
                "already_published": plan.already_published,
                "quarantined": plan.quarantined,
            },
        )
