"""The outbox relay when its PostgreSQL connections are cut under it (ADR 0021): its
session, and the advisory lock with it, vanish; it notices, takes the lock again, and
publishes every row once, saying so in one line each way."""

import asyncio
import logging
from pathlib import Path

import pytest
from benefits_shared.db.messaging_tables import add_messaging_tables
from benefits_shared.db.migrations import migrate
from benefits_shared.db.outbox import OutboxRelay, RelayTables, add_to_outbox
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.outages import OUTAGES, POSTGRESQL
from benefits_shared.topics import Topic
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from test_outbox_relay import _ids_in_topic, _outgoing, _wait_published

MIGRATIONS = str(Path(__file__).parent / "example_migrations")
CUT = text(
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :a"
)
HOLDS_LOCK = text(
    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
    " WHERE l.locktype = 'advisory' AND a.application_name = :a"
)


async def _queue(engine: AsyncEngine, schema: str, topic: str, numbers: range) -> None:
    _, outbox, _ = add_messaging_tables(MetaData(schema=schema))
    async with async_sessionmaker(engine).begin() as session:
        await add_to_outbox(session, outbox, [_outgoing(topic, i) for i in numbers])


async def _scalar(engine: AsyncEngine, query: object, name: str) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(query, {"a": name})).scalar_one())  # type: ignore[call-overload]


async def _until_back(dependency: str, timeout_s: float = 30) -> None:
    """The relay says a dependency is back once it worked ``SETTLE_S`` without a failure:
    on a loaded machine the last row may go out sooner after the cut, so wait (idle, the
    relay still checks its lock and reports) rather than stop it first."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while OUTAGES.is_away(dependency) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.1)


async def test_a_relay_whose_connections_are_cut_takes_its_lock_again_and_loses_nothing(
    kafka_bootstrap: str,
    database_url: str,
    db_engine: AsyncEngine,
    fresh_topic: Topic,
    fresh_schema: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="benefits_shared.outages")
    await migrate(database_url, MIGRATIONS, fresh_schema)
    name = f"relay-{fresh_schema}"
    engine = create_async_engine(
        database_url, connect_args={"server_settings": {"application_name": name}}
    )
    _, outbox, batches = add_messaging_tables(MetaData(schema=fresh_schema))
    producer, reader = (
        idempotent_producer(kafka_bootstrap, name),
        safe_consumer(kafka_bootstrap, None),
    )
    await producer.start()
    await reader.start()
    relay = OutboxRelay(engine, RelayTables(outbox, batches), producer, reader, batch_size=50)
    running = asyncio.create_task(relay.run())
    try:
        await _queue(db_engine, fresh_schema, fresh_topic.name, range(500))
        await _wait_published(db_engine, fresh_schema, 100)
        assert await _scalar(db_engine, HOLDS_LOCK, name) == 1
        assert await _scalar(db_engine, CUT, name) >= 1  # the lock's session among them
        await _queue(db_engine, fresh_schema, fresh_topic.name, range(500, 1000))
        await _wait_published(db_engine, fresh_schema, 1000)
        assert not running.done(), "the relay ended"
        assert await _scalar(db_engine, HOLDS_LOCK, name) == 1  # taken again
        await _until_back(POSTGRESQL)
    finally:
        relay.stop()
        await asyncio.wait_for(running, 60)
        await producer.stop()
        await reader.stop()
        await engine.dispose()
    seen = await _ids_in_topic(kafka_bootstrap, fresh_topic.name, 1000)
    assert set(seen) == {f"out-{i}" for i in range(1000)}
    assert [i for i, count in seen.items() if count > 1] == []
    lines = [r.getMessage().split(" since ")[0].split(" after ")[0] for r in caplog.records]
    assert lines == ["postgresql unreachable", "postgresql answers again"]
