"""The civil-registry connector: page after page of the feed into ``life-events``.

Per page: fetch from the cursor, look up the record numbers it mentions, plan (pure), hand
every event and quarantined record to Kafka; then, in the background while the next page
is fetched and planned, await Kafka's acks and store the page's record numbers and the new
cursor in one transaction. At most one page is in flight, and pages are confirmed in order.
The next page is planned against what PostgreSQL knows plus the pages not yet confirmed.

A crash anywhere before a page's commit makes the next run read that page again from the
stored cursor and send the same events with the same ids; any other failure waits for the
page in flight, forgets what is not stored and starts again from the stored cursor.

After a page that moved the cursor, a ``CivilFeedProgress`` marker goes to every partition
of ``life-events`` with the page's messages: every record up to the cursor is before it
(ADR 0008).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from benefits_shared.clock import Clock
from benefits_shared.contracts.progress import CivilFeedProgress

from registry_connectors.civil_feed import Page, PagePlan, PagePlanner, Seen, referenced_numbers
from registry_connectors.outgoing import Outgoing, progress_messages
from registry_connectors.ports import Acks, CivilFeed, CivilMemory, Publisher

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
        self._unconfirmed: deque[dict[str, Seen]] = deque()
        self._confirming: asyncio.Task[None] | None = None
        self.published = 0
        self.quarantined = 0

    async def step(self) -> bool:
        """One page; True when the page was full (more is probably waiting)."""
        try:
            return await self._page()
        except Exception:
            await self.start_again()
            raise

    async def finish(self) -> None:
        """On a clean stop: confirm the page in flight if Kafka acknowledged it."""
        try:
            await self._confirmed()
        except Exception as exc:  # not stored: the next run reads the page again
            log.warning("last page not confirmed", extra={"error": type(exc).__name__})

    async def _page(self) -> bool:
        p = self._p
        if self._cursor is None:
            self._cursor = await p.store.cursor()
        page = await p.client.page(self._cursor, p.page_size)
        now = p.clock.now()
        plan = p.planner.plan(page, self._cursor, await self._known(page), now)
        markers = await self._markers(plan.cursor, now) if plan.cursor > self._cursor else []
        acks = await p.publisher.send([*plan.messages, *markers])
        await self._confirmed()
        self._unconfirmed.append(plan.remember)
        self._confirming = asyncio.create_task(self._confirm(acks, plan, self._cursor))
        self._cursor = plan.cursor
        return len(page.records) >= p.page_size

    async def _markers(self, cursor: int, now: datetime) -> list[Outgoing]:
        topic = self._p.planner.topic
        partitions = await self._p.publisher.partitions(topic)
        return progress_messages(topic, partitions, CivilFeedProgress, now, through_seq=cursor)

    async def _known(self, page: Page) -> dict[str, Seen]:
        # Take the pages in flight before asking PostgreSQL: a page confirmed while the
        # query runs is then in one or the other, never in neither (it would be re-sent).
        in_flight = list(self._unconfirmed)
        known = await self._p.store.known(referenced_numbers(page.records))
        for remember in in_flight:
            known.update(remember)
        return known

    async def _confirm(self, acks: Acks, plan: PagePlan, old: int) -> None:
        await acks.wait()
        await self._p.store.commit(plan.remember, old, plan.cursor)
        self._unconfirmed.popleft()
        self.published += plan.published
        self.quarantined += plan.quarantined
        if plan.messages or plan.redelivered:
            log.info(
                "civil page done",
                extra={
                    "cursor": plan.cursor,
                    "published": plan.published,
                    "quarantined": plan.quarantined,
                    "redelivered": plan.redelivered,
                },
            )

    async def _confirmed(self) -> None:
        if self._confirming is not None:
            task, self._confirming = self._confirming, None
            await task

    async def start_again(self) -> None:
        """Forget everything not stored; the next step reads from the stored cursor."""
        with contextlib.suppress(Exception):
            await self._confirmed()
        self._confirming = None
        self._cursor = None
        self._unconfirmed.clear()
