"""The MSE connector: each new commission file in the drop folder into ``life-events``.

Per file, in day and version order: read it, skip it if this name and content were
processed already, plan it against the events already published for its day (pure), send
and await Kafka's acks, then record the file and its event ids in one transaction. A crash
before that commit makes the next run process the file again with the same ids.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from benefits_shared.clock import Clock

from registry_connectors.mse_files import DropName, FilePlanner, content_hash, drop_name
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

    async def step(self) -> bool:
        """Every new file of the folder; False: wait for the next look."""
        listing = await self._p.folder.listing()
        drops = sorted(
            d
            for name, signature in listing.items()
            if self._confirmed.get(name) != signature and (d := drop_name(name))
        )
        done = await self._p.store.processed([d.name for d in drops])
        for drop in drops:
            content = await self._p.folder.read(drop.name)
            digest = content_hash(content)
            if (drop.name, digest) not in done:
                await self._process(drop, content, digest)
            self._confirmed[drop.name] = listing[drop.name]
        return False

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
