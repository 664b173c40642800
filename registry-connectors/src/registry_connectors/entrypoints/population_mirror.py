"""The population connector: a full copy once, then the change feed, into ``persons``.

The full copy pages ``GET /v1/persons`` by PIN from its checkpoint (``registry_seq`` 0);
when a page comes back empty the copy is done and the change feed is read from the start
(``after=0``), so a change made during the copy is applied after it. Each page is sent,
its acks awaited, then the checkpoint moves. When a request finds the end of the change
feed and ``life-events`` has received records since the last marker, or persons were
published since it, a ``PopulationCopyProgress`` marker goes to every partition of
``persons``: the copy is complete as of that request, which was made after those records
arrived (ADR 0008). So the engine waits about one poll for a record, and nothing is sent
while nothing happens. ``persons`` is compacted: a person sent twice (after a crash) is the
same record with the same id; and since every person sent is followed by a marker, the
latest marker of each partition stays after the latest record of every person on it, so a
replay of the compacted topic decides nothing before the whole copy is read again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from benefits_shared.clock import Clock
from benefits_shared.contracts.progress import PopulationCopyProgress

from registry_connectors.adapters.checkpoints import Checkpoint
from registry_connectors.outgoing import progress_messages
from registry_connectors.population_records import (
    PersonsPlan,
    PersonsPlanner,
    Versioned,
    change_versions,
    changes_cursor,
)
from registry_connectors.ports import CheckpointStore, PopulationSource, Publisher, RecordCount

log = logging.getLogger(__name__)
FULL_COPY = "population-full-copy"
CHANGES = "population-changes"


@dataclass(frozen=True, slots=True)
class PopulationParts:
    client: PopulationSource
    checkpoints: CheckpointStore
    planner: PersonsPlanner
    publisher: Publisher
    clock: Clock
    page_size: int
    #: The records on ``life-events``: what markers are for.
    life_events: RecordCount


class PopulationMirror:
    def __init__(self, parts: PopulationParts) -> None:
        self._p = parts
        self._marked: int | None = None  # life-events' records at the last marker
        self._unmarked = True  # persons sent since the last marker (or maybe, at start)

    async def step(self) -> bool:
        full = await self._p.checkpoints.load(FULL_COPY)
        if not full.done:
            return await self._copy_page(full)
        return await self._changes_page(await self._p.checkpoints.load(CHANGES))

    async def _copy_page(self, at: Checkpoint) -> bool:
        p = self._p
        page = await p.client.persons(at.after_pin or "", p.page_size)
        plan = await self._send([Versioned(person, 0) for person in page.persons])
        done = not page.persons
        await p.checkpoints.save(FULL_COPY, at, Checkpoint(after_pin=page.last_pin, done=done))
        self._log("full copy page done" if not done else "full copy done", plan)
        return True

    async def _changes_page(self, at: Checkpoint) -> bool:
        p = self._p
        arrived = await p.life_events.count()  # before the request: they are covered by it
        asked_at = p.clock.now()
        page = await p.client.changes(at.seq, p.page_size)
        versions = change_versions(page.changes)
        # a change at or before the checkpoint was sent already (the feed re-delivers)
        plan = await self._send([v for v in versions if v.defect or v.registry_seq > at.seq])
        seq = changes_cursor(page.changes, at.seq, page.last_seq)
        await p.checkpoints.save(CHANGES, at, Checkpoint(seq=seq))
        if page.changes:
            self._log("changes page done", plan)
        more = len(page.changes) >= p.page_size
        if not more and (arrived != self._marked or self._unmarked):
            await self._caught_up(asked_at, seq)
            self._marked, self._unmarked = arrived, False
        return more

    async def _caught_up(self, asked_at: datetime, seq: int) -> None:
        """Everyone the registry had at ``asked_at`` is in ``persons``: say so."""
        p = self._p
        topic = p.planner.topic
        partitions = await p.publisher.partitions(topic)
        markers = progress_messages(
            topic, partitions, PopulationCopyProgress, asked_at, as_of=asked_at, change_seq=seq
        )
        await p.publisher.publish(markers)

    async def _send(self, people: list[Versioned]) -> PersonsPlan:
        plan = self._p.planner.plan(people, self._p.clock.now())
        await self._p.publisher.publish(plan.messages)
        self._unmarked = self._unmarked or plan.published > 0
        return plan

    @staticmethod
    def _log(message: str, plan: PersonsPlan) -> None:
        log.info(message, extra={"published": plan.published, "quarantined": plan.quarantined})
