"""How the relay notes a batch (issue #12): the batch's outbox ids in its one
``outbox_batches`` row, not a mark in every outbox row. Two cases a batch must get right:
a row whose id falls inside a batch's ids but that committed after the claim, and a batch
left claimed by a relay from before, which marked ``outbox.batch_id`` in each row."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from benefits_shared.db.messaging_tables import add_messaging_tables
from benefits_shared.db.migrations import downgrade, migrate
from benefits_shared.db.outbox import OutboxRelay, RelayTables, add_to_outbox
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.topics import Topic
from sqlalchemy import MetaData, Table, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from test_outbox_relay import MIGRATIONS, _ids_in_topic, _outgoing


class _Relay(OutboxRelay):
    """A relay that runs ``before_confirm`` between sending a batch and confirming it."""

    before_confirm: Callable[[], Awaitable[None]] | None = None

    async def _confirm(
        self, batch_id: uuid.UUID, published: set[str] | None, row_ids: list[int] | None = None
    ) -> None:
        if self.before_confirm is not None:
            await self.before_confirm()
            self.before_confirm = None
        await super()._confirm(batch_id, published, row_ids)


@pytest.fixture
async def relay(
    kafka_bootstrap: str, database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> AsyncIterator[_Relay]:
    await migrate(database_url, MIGRATIONS, fresh_schema)
    _, outbox, batches = add_messaging_tables(MetaData(schema=fresh_schema))
    producer = idempotent_producer(kafka_bootstrap, f"relay-{fresh_schema}")
    reader = safe_consumer(kafka_bootstrap, None)
    await producer.start()
    await reader.start()
    try:
        yield _Relay(db_engine, RelayTables(outbox, batches), producer, reader)
    finally:
        await producer.stop()
        await reader.stop()


def _outbox(schema: str) -> Table:
    return add_messaging_tables(MetaData(schema=schema))[1]


async def _unpublished(engine: AsyncEngine, schema: str) -> list[str]:
    outbox = _outbox(schema)
    query = select(outbox.c.event_id).where(outbox.c.published_at.is_(None)).order_by("id")
    async with engine.connect() as conn:
        return list((await conn.scalars(query)).all())


async def test_a_row_that_commits_inside_a_batchs_ids_while_it_is_sent_goes_in_the_next_batch(
    relay: _Relay,
    kafka_bootstrap: str,
    db_engine: AsyncEngine,
    fresh_topic: Topic,
    fresh_schema: str,
) -> None:
    outbox, sessions = _outbox(fresh_schema), async_sessionmaker(db_engine)
    async with sessions.begin() as session:
        await add_to_outbox(session, outbox, [_outgoing(fresh_topic.name, 1)])
    late = sessions()
    await late.begin()  # takes the next id; commits after the claim, before the confirmation
    await add_to_outbox(late, outbox, [_outgoing(fresh_topic.name, 2)])
    async with sessions.begin() as session:
        await add_to_outbox(session, outbox, [_outgoing(fresh_topic.name, 3)])
    ids = {
        r.event_id: r.id for r in (await late.execute(select(outbox.c.event_id, outbox.c.id))).all()
    }
    assert ids["out-1"] < ids["out-2"] < ids["out-3"]

    relay.before_confirm = late.commit
    assert await relay.publish_once() == 2  # out-1 and out-3: out-2 was not yet committed
    await late.close()
    assert await _unpublished(db_engine, fresh_schema) == ["out-2"]
    assert await relay.publish_once() == 1
    assert await _unpublished(db_engine, fresh_schema) == []
    seen = await _ids_in_topic(kafka_bootstrap, fresh_topic.name, 3)
    assert sorted(seen.elements()) == ["out-1", "out-2", "out-3"]


async def test_a_batch_left_claimed_by_a_relay_from_before_is_recovered_through_its_marks(
    relay: _Relay,
    kafka_bootstrap: str,
    db_engine: AsyncEngine,
    fresh_topic: Topic,
    fresh_schema: str,
) -> None:
    """Such a relay marked ``batch_id`` in each row it claimed and noted no ids; it was
    killed after sending two of its four rows. Recovery marks those two published and
    frees the other two, which the next round sends: each once in the topic."""
    _, outbox, batches = add_messaging_tables(MetaData(schema=fresh_schema))
    events = [_outgoing(fresh_topic.name, i) for i in range(4)]
    async with async_sessionmaker(db_engine).begin() as session:
        await add_to_outbox(session, outbox, events)
    ends = await relay._end_offsets({fresh_topic.name})
    batch_id = uuid.uuid4()
    async with db_engine.begin() as conn:
        await conn.execute(update(outbox).values(batch_id=batch_id))
        await conn.execute(batches.insert().values(batch_id=batch_id, end_offsets=ends))
    producer = idempotent_producer(kafka_bootstrap, f"old-relay-{fresh_schema}")
    await producer.start()
    try:
        for e in events[:2]:
            row = e.row()
            headers = [(k, v.encode()) for k, v in row["headers"]]
            await producer.send_and_wait(e.topic, row["value"], key=e.key, headers=headers)
    finally:
        await producer.stop()

    await relay.recover()
    assert await _unpublished(db_engine, fresh_schema) == ["out-2", "out-3"]
    async with db_engine.connect() as conn:
        marked = select(func.count()).where(outbox.c.batch_id.is_not(None))
        assert await conn.scalar(marked.where(outbox.c.published_at.is_(None))) == 0
        open_batches = select(func.count()).where(batches.c.completed_at.is_(None))
        assert await conn.scalar(open_batches) == 0
    assert await relay.publish_once() == 2
    seen = await _ids_in_topic(kafka_bootstrap, fresh_topic.name, 4)
    assert sorted(seen.elements()) == ["out-0", "out-1", "out-2", "out-3"]


@pytest.mark.parametrize(
    ("migrations", "before"),
    [
        ("eligibility_engine.migrations", "0004"),
        ("bank_gateway.migrations", "0005"),
        ("notifier.migrations", "0004"),
    ],
)
async def test_every_service_with_an_outbox_migrates_its_batches_and_payload_and_back(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str, migrations: str, before: str
) -> None:
    column = text(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = :s"
        " AND table_name = 'outbox_batches' AND column_name = 'row_ids'"
    )

    payload = text(  # ANALYZE skips the outbox's payload (statistics target 0) from then on
        "SELECT attstattarget FROM pg_attribute"
        " WHERE attrelid = CAST(:t AS regclass) AND attname = 'value'"
    )

    async def has_row_ids() -> bool:
        async with db_engine.connect() as conn:
            return bool(await conn.scalar(column, {"s": fresh_schema}))

    async def payload_analyzed() -> bool:
        async with db_engine.connect() as conn:
            return await conn.scalar(payload, {"t": f'"{fresh_schema}".outbox'}) != 0

    await migrate(database_url, migrations, fresh_schema)
    assert await has_row_ids() and not await payload_analyzed()
    await downgrade(database_url, migrations, fresh_schema, before)  # a schema from before
    assert not await has_row_ids() and await payload_analyzed()
    await migrate(database_url, migrations, fresh_schema)
    assert await has_row_ids() and not await payload_analyzed()
