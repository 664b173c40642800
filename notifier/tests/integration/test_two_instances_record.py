"""Two notifier instances, one recording a grant's notice while the other records its
recipient's account (decisions and accounts are keyed differently, so they land on
different partitions and so on different instances).

Without the recipient lock the account's release of waiting notices runs while the
notice is not committed yet, the notice's plan saw no account, and the notice waits out
the whole account wait (with a fixed clock, for ever): found by the end-to-end bench with
two instances of every service."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from benefits_shared.clock import BAKU, FixedClock
from benefits_shared.db.migrations import migrate
from benefits_shared.pin import PinHasher
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from notifier.adapters.notice_store import NoticeStore, Planned
from notifier.adapters.tables import notifier_tables
from notifier.entrypoints.event_handler import EventHandler
from notifier.metrics import NotifierMetrics
from notifier_scenario import account, decision, deliveries, person
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

NOW = datetime(2026, 3, 3, 11, tzinfo=BAKU)
WAIT = timedelta(minutes=30)


class HeldNotices(NoticeStore):
    """Records a notice, then holds its transaction open until told to go on."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.recorded, self.go_on = asyncio.Event(), asyncio.Event()

    async def record_all(self, s: AsyncSession, planned: Iterable[Planned]) -> set[str]:
        recorded = await super().record_all(s, planned)
        self.recorded.set()
        await self.go_on.wait()
        return recorded


async def test_a_notice_recorded_while_another_instance_records_the_account_is_released(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    await migrate(database_url, "notifier.migrations", fresh_schema)
    tables, sessions = notifier_tables(fresh_schema), async_sessionmaker(db_engine)

    def instance(notices: type[NoticeStore]) -> tuple[EventHandler, NoticeStore]:
        store = notices(tables, PinHasher(DEV_PIN_HMAC_KEY), "notices", NotifierMetrics())
        return EventHandler(sessions, tables, store, FixedClock(NOW), WAIT), store

    first, held = instance(HeldNotices)
    second, _ = instance(NoticeStore)
    await second.handle(deliveries(person(1)))
    assert isinstance(held, HeldNotices)

    grant = asyncio.create_task(first.handle(deliveries(decision(1, "B1"))))
    await asyncio.wait_for(held.recorded.wait(), 30)  # planned without an account, not committed
    opened = asyncio.create_task(second.handle(deliveries(account(1))))
    await asyncio.sleep(1)  # the account's transaction runs as far as it can
    held.go_on.set()
    await asyncio.wait_for(asyncio.gather(grant, opened), 30)

    async with db_engine.connect() as conn:
        send_after = (
            await conn.execute(text(f'SELECT send_after FROM "{fresh_schema}".notices'))
        ).scalar_one()
    assert send_after == NOW, "the grant's notice waits for an account that is open"
