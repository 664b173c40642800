import asyncio
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from benefits_shared.cloudevents import CloudEvent
from benefits_shared.db.messaging_tables import add_messaging_tables
from benefits_shared.db.migrations import migrate
from benefits_shared.db.outbox import OutgoingEvent, add_to_outbox
from benefits_shared.kafka.clients import safe_consumer
from benefits_shared.testing import kill, start_script, terminate
from benefits_shared.topics import Topic
from sqlalchemy import MetaData, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

WORKERS = Path(__file__).parent / "workers"
MIGRATIONS = str(Path(__file__).parent / "example_migrations")


def _outgoing(topic: str, i: int) -> OutgoingEvent:
    event = CloudEvent(
        id=f"out-{i}",
        source="/test",
        type="az.gov.benefits.test.v1",
        time=datetime(2026, 3, 2, tzinfo=UTC),
        data={"n": i},
    )
    return OutgoingEvent(topic, f"k{i % 11}".encode(), event)


async def _published(engine: AsyncEngine, schema: str) -> int:
    _, outbox, _ = add_messaging_tables(MetaData(schema=schema))
    async with engine.connect() as conn:
        query = select(func.count()).where(outbox.c.published_at.is_not(None))
        return int((await conn.execute(query)).scalar_one())


async def _wait_published(engine: AsyncEngine, schema: str, at_least: int) -> None:
    deadline = time.monotonic() + 120
    while await _published(engine, schema) < at_least:
        assert time.monotonic() < deadline, f"fewer than {at_least} published"
        await asyncio.sleep(0.02)


async def _ids_in_topic(bootstrap: str, topic: str, expected: int) -> Counter[str]:
    consumer = safe_consumer(bootstrap, None, topic)
    await consumer.start()
    seen: Counter[str] = Counter()
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < 3 or sum(seen.values()) < expected:
        batch = await consumer.getmany(timeout_ms=500)
        for records in batch.values():
            quiet_since = time.monotonic()
            for r in records:
                seen.update(v.decode() for k, v in r.headers if k == "ce_id")
    await consumer.stop()
    return seen


async def test_the_relay_publishes_each_row_exactly_once_across_kills(
    kafka_bootstrap: str,
    database_url: str,
    db_engine: AsyncEngine,
    fresh_topic: Topic,
    fresh_schema: str,
) -> None:
    await migrate(database_url, MIGRATIONS, fresh_schema)
    _, outbox, _ = add_messaging_tables(MetaData(schema=fresh_schema))
    n = 2000
    async with async_sessionmaker(db_engine).begin() as session:
        await add_to_outbox(session, outbox, [_outgoing(fresh_topic.name, i) for i in range(n)])
        # Queuing an event twice (a retried transaction) queues it once.
        await add_to_outbox(session, outbox, [_outgoing(fresh_topic.name, 7)])

    args = (kafka_bootstrap, database_url, fresh_schema)
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.9):
        relay = start_script(WORKERS / "relay_worker.py", *args)
        await _wait_published(db_engine, fresh_schema, int(n * fraction))
        kill(relay)
    relay = start_script(WORKERS / "relay_worker.py", *args)
    await _wait_published(db_engine, fresh_schema, n)
    assert terminate(relay) == 0

    seen = await _ids_in_topic(kafka_bootstrap, fresh_topic.name, n)
    assert set(seen) == {f"out-{i}" for i in range(n)}
    assert [i for i, count in seen.items() if count > 1] == []
