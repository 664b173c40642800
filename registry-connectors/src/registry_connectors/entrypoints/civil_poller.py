"""The civil-registry connector: page after page of the feed into ``life-events``.

Per page: fetch from the cursor, look up the record numbers it mentions, plan (pure),
send every event and quarantined record and await Kafka's acks, then store the record
numbers and move the cursor in one transaction. A crash anywhere before that commit makes
the next run read the same page again and send the same events with the same ids.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from benefits_shared.clock import Clock

from registry_connectors.civil_feed import PagePlanner, referenced_numbers
from registry_connectors.ports import CivilFeed, CivilMemory, Publisher

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CivilParts:
    client: CivilFeed
    store: CivilMemory
    planner: PagePlanner
    publisher: Publisher
    clock: Clock
    page_size: int


class CivilPoller:
    def __init__(self, parts: CivilParts) -> None:
        self._p = parts
        self._cursor: int | None = None
        self.published = 0
        self.quarantined = 0

    async def step(self) -> bool:
        """One page; True when the page was full (more is probably waiting)."""
        try:
            return await self._page()
        except BaseException:
            self._cursor = None  # reload from PostgreSQL before trying again
            raise

    async def _page(self) -> bool:
        p = self._p
        if self._cursor is None:
            self._cursor = await p.store.cursor()
        page = await p.client.page(self._cursor, p.page_size)
        known = await p.store.known(referenced_numbers(page.records))
        plan = p.planner.plan(page, self._cursor, known, p.clock.now())
        await p.publisher.publish(plan.messages)
        await p.store.commit(plan.remember, self._cursor, plan.cursor)
        self._cursor = plan.cursor
        self.published += plan.published
        self.quarantined += plan.quarantined
        if page.records:
            log.info(
                "civil page done",
                extra={
                    "cursor": plan.cursor,
                    "published": plan.published,
                    "quarantined": plan.quarantined,
                    "redelivered": plan.redelivered,
                },
            )
        return len(page.records) >= p.page_size
