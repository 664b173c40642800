import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

from aiokafka import AIOKafkaProducer
from benefits_shared.cloudevents import CloudEvent, decode
from benefits_shared.errors import PoisonMessage
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.kafka.consumer_loop import ConsumerLoop, Delivery, LoopSettings
from benefits_shared.testing import kill, start_script, terminate
from benefits_shared.topics import Topic
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

WORKERS = Path(__file__).parent / "workers"


def _event(i: int) -> CloudEvent:
    return CloudEvent(
        id=f"evt-{i}",
        source="/test",
        type="az.gov.benefits.test.v1",
        time=datetime(2026, 3, 2, tzinfo=UTC),
        data={"n": i, "name": "Aysel Məmmədova"},
        subject=f"s{i % 7}",
    )


async def _produce(producer: AIOKafkaProducer, topic: str, events: list[CloudEvent]) -> None:
    futures = [
        await producer.send(
            topic,
            value=e.value(),
            key=e.subject.encode() if e.subject else None,
            headers=e.headers(),
        )
        for e in events
    ]
    await asyncio.gather(*futures)


async def test_an_event_keeps_its_cloudevents_headers_through_kafka(
    kafka_bootstrap: str, fresh_topic: Topic, unique: str
) -> None:
    producer = idempotent_producer(kafka_bootstrap, "t")
    consumer = safe_consumer(kafka_bootstrap, f"g-{unique}", fresh_topic.name)
    await producer.start()
    await consumer.start()
    try:
        await _produce(producer, fresh_topic.name, [_event(1)])
        record = await asyncio.wait_for(consumer.getone(), 30)
        assert decode(record.headers, record.value) == _event(1)
    finally:
        await producer.stop()
        await consumer.stop()


async def test_poison_and_undecodable_records_go_to_the_dead_letter_topic(
    kafka_bootstrap: str, fresh_topic: Topic, unique: str
) -> None:
    producer = idempotent_producer(kafka_bootstrap, "t")
    await producer.start()
    await _produce(producer, fresh_topic.name, [_event(i) for i in range(20)])
    await producer.send_and_wait(fresh_topic.name, value=b"not an event", key=b"s1")
    handled: list[str] = []

    async def handle(batch: list[Delivery[CloudEvent]]) -> None:
        for d in batch:
            if d.message.data["n"] == 13:
                raise PoisonMessage("thirteen is unlucky", kind="rule", record_key=d.position)
        handled.extend(d.message.id for d in batch)

    consumer = safe_consumer(kafka_bootstrap, f"g-{unique}", fresh_topic.name)
    await consumer.start()
    loop: ConsumerLoop[CloudEvent] = ConsumerLoop(
        consumer, producer, lambda r: decode(r.headers, r.value), handle, LoopSettings("g")
    )
    task = asyncio.create_task(loop.run())
    deadline = time.monotonic() + 60
    while loop.processed + loop.dead_lettered < 21 and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    loop.stop()
    await task
    await consumer.stop()
    assert sorted(handled) == sorted(f"evt-{i}" for i in range(20) if i != 13)
    assert loop.dead_lettered == 2

    dlq = safe_consumer(kafka_bootstrap, f"d-{unique}", fresh_topic.dead_letter)
    await dlq.start()
    got = await dlq.getmany(timeout_ms=10_000)
    records = [r for rs in got.values() for r in rs]
    while len(records) < 2:
        records += [r for rs in (await dlq.getmany(timeout_ms=5_000)).values() for r in rs]
    await dlq.stop()
    await producer.stop()
    kinds = sorted(dict(r.headers)["dlq_kind"].decode() for r in records)
    assert kinds == ["rule", "undecodable"]
    assert any(dict(r.headers).get("dlq_reason") == b"thirteen is unlucky" for r in records)


async def _count(engine: AsyncEngine, schema: str) -> tuple[int, int]:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(f'SELECT count(*), count(DISTINCT event_id) FROM "{schema}".effects')
            )
        ).one()
        return int(row[0]), int(row[1])


async def _wait_for(engine: AsyncEngine, schema: str, at_least: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        total, _ = await _count(engine, schema)
        if total >= at_least:
            return total
        await asyncio.sleep(0.05)
    raise TimeoutError(f"fewer than {at_least} effects after {timeout}s")


async def test_a_consumer_killed_mid_batch_loses_nothing_and_applies_nothing_twice(
    kafka_bootstrap: str,
    database_url: str,
    db_engine: AsyncEngine,
    fresh_topic: Topic,
    fresh_schema: str,
    unique: str,
) -> None:
    async with db_engine.begin() as conn:
        await conn.execute(
            text(
                f'CREATE TABLE "{fresh_schema}".inbox (event_id varchar(64) PRIMARY KEY, '
                "received_at timestamptz NOT NULL DEFAULT now(), traceparent varchar(55))"
            )
        )
        await conn.execute(
            text(
                f'CREATE TABLE "{fresh_schema}".effects (event_id varchar(64), '
                "applied_at timestamptz DEFAULT now())"
            )
        )
    n = 3000
    producer = idempotent_producer(kafka_bootstrap, "t")
    await producer.start()
    await _produce(producer, fresh_topic.name, [_event(i) for i in range(n)])
    await producer.stop()

    args = (kafka_bootstrap, database_url, fresh_topic.name, f"g-{unique}", fresh_schema)
    for fraction in (0.2, 0.5, 0.8):
        worker = start_script(WORKERS / "consume_worker.py", *args)
        await _wait_for(db_engine, fresh_schema, int(n * fraction), 120)
        kill(worker)
    worker = start_script(WORKERS / "consume_worker.py", *args)
    await _wait_for(db_engine, fresh_schema, n, 180)
    await asyncio.sleep(1.0)  # anything applied twice would show up now
    assert terminate(worker) == 0
    assert await _count(db_engine, fresh_schema) == (n, n)
