"""The Kafka handler takes a batch as a set: the mirrors first, then every decision's
notice in one go, with the batch's own order kept where it matters (a decision that
supersedes another of the same batch, two versions of one person). Its statements per
batch do not grow with the batch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from benefits_shared.clock import BAKU, FixedClock
from benefits_shared.db.migrations import migrate
from benefits_shared.kafka.consumer_loop import Delivery
from benefits_shared.pin import PinHasher
from benefits_shared.service_runtime import Received
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from benefits_shared.testing import statements
from notifier.adapters.notice_store import NoticeStore
from notifier.adapters.tables import notifier_tables
from notifier.entrypoints.event_handler import EventHandler
from notifier.metrics import NotifierMetrics
from notifier_scenario import account, decision, deliveries, person
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

NOW = datetime(2026, 3, 3, 11, tzinfo=BAKU)
WAIT = timedelta(minutes=30)


async def handler_of(database_url: str, engine: AsyncEngine, schema: str) -> EventHandler:
    await migrate(database_url, "notifier.migrations", schema)
    tables = notifier_tables(schema)
    store = NoticeStore(tables, PinHasher(DEV_PIN_HMAC_KEY), "notices", NotifierMetrics())
    return EventHandler(async_sessionmaker(engine), tables, store, FixedClock(NOW), WAIT)


async def rows(engine: AsyncEngine, query: str) -> list[Any]:
    async with engine.connect() as conn:
        return list(await conn.execute(text(query)))


async def test_a_decision_is_planned_knowing_the_person_and_account_later_in_its_batch(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    handler = await handler_of(database_url, db_engine, fresh_schema)
    first = decision(2, "B2", "assigned")
    ended = decision(2, "B2", "ended", supersedes=first.decision_id)
    await handler.handle(
        deliveries(
            decision(1, "B1"),
            person(1, phone="+994501111111", seq=5),
            person(1, phone="+994502222222", seq=3),  # an older version, arriving late
            account(1),
            person(2),
            first,
            ended,
        )
    )

    (phone,) = await rows(
        db_engine, f"SELECT phone FROM \"{fresh_schema}\".persons WHERE pin = '5XH8001'"
    )
    assert phone.phone == "+994501111111"
    notices = {
        r.decision_id: r
        for r in await rows(
            db_engine,
            f'SELECT decision_id, state, reason, send_after FROM "{fresh_schema}".notices',
        )
    }
    grant = notices[decision(1, "B1").decision_id]
    assert (grant.state, grant.send_after) == ("pending", NOW), "the account was known"
    assert notices[first.decision_id].state == "skipped"
    assert "superseded by decision" in notices[first.decision_id].reason
    assert notices[ended.decision_id].state == "pending"


async def test_a_batch_takes_as_many_statements_however_large(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    handler = await handler_of(database_url, db_engine, fresh_schema)

    def batch(start: int, size: int) -> Sequence[Delivery[Received]]:
        people = range(start, start + size)
        return deliveries(
            *(person(i) for i in people),
            *(decision(i, "B1") for i in people),
            *(account(i) for i in people),
        )

    with statements(db_engine) as small:
        await handler.handle(batch(0, 3))
    with statements(db_engine) as large:
        await handler.handle(batch(100, 60))

    assert len(large) == len(small), (small, large)
    (count,) = await rows(db_engine, f'SELECT count(*) AS n FROM "{fresh_schema}".notices')
    assert count.n == 63


async def test_a_later_batch_keeps_the_newest_person_and_the_last_account(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    """The mirrors' upserts against rows of earlier batches: an older person record
    changes nothing, a newer one replaces it, and a recipient's new account replaces the
    old one; a null phone or death is written as null."""
    handler = await handler_of(database_url, db_engine, fresh_schema)
    await handler.handle(deliveries(person(1, phone="+994501111111", seq=5), account(1)))
    await handler.handle(deliveries(person(1, phone="+994502222222", seq=3)))
    newer = person(2, phone="+994503333333", seq=1)
    await handler.handle(deliveries(newer, person(3, phone=None, seq=1)))
    moved = account(1).model_copy(update={"account_id": "acc-new", "account_last4": "12349876"})
    await handler.handle(deliveries(person(2, phone="+994504444444", seq=2), moved))

    phones = await rows(
        db_engine, f'SELECT pin, phone, died_on FROM "{fresh_schema}".persons ORDER BY pin'
    )
    assert [(r.phone, r.died_on) for r in phones] == [
        ("+994501111111", None),
        ("+994504444444", None),
        (None, None),
    ]
    (kept,) = await rows(
        db_engine, f'SELECT account_id, account_last4 FROM "{fresh_schema}".accounts'
    )
    assert (kept.account_id, kept.account_last4) == ("acc-new", "9876")
