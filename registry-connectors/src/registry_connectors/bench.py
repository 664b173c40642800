"""How fast the civil connector moves records into Kafka, beside the raw producer.

``measure(n, ...)`` serves ``n`` valid birth records from the project's civil-registry
simulator, runs the civil connector on them (fetch, validate, key, send, await acks,
remember, move the cursor) and, in the same run and on the same broker, sends the same
records with a bare idempotent aiokafka producer (batched sends, then the acks awaited, a
page at a time). It returns both rates; ``make bench`` calls it with n = 1,000,000.

    uv run python -m registry_connectors.bench 100000
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from aiokafka import TopicPartition
from benefits_shared.kafka.admin import delete_topics, ensure_topics
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.settings import LOCAL_DATABASE_URL, LOCAL_KAFKA
from benefits_shared.topics import Topic
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from registry_connectors import bootstrap
from registry_connectors.config import ConnectorSettings
from registry_connectors.local_registries import CIVIL_FILE, LocalRegistries, write_dataset

PIN_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def pin_number(i: int) -> str:
    """The i-th PIN (7 characters of the PIN alphabet)."""
    digits = []
    for _ in range(7):
        i, d = divmod(i, len(PIN_ALPHABET))
        digits.append(PIN_ALPHABET[d])
    return "".join(reversed(digits))


def births(n: int, first_seq: int = 1) -> Iterator[dict[str, Any]]:
    """``n`` valid BIRTH records of registries.md §1, seq ``first_seq`` upwards."""
    day = date(2026, 1, 1)
    for i in range(n):
        born = day + timedelta(days=i % 365)
        yield {
            "seq": first_seq + i,
            "record_no": f"B-2026-{i:07d}",
            "kind": "BIRTH",
            "registered_at": f"{born.isoformat()}T10:00:00+04:00",
            "office": "Baku-Nasimi",
            "child": {
                "pin": pin_number(2 * i),
                "given_name": "Aysel",
                "surname": "Mammadova",
                "birth_date": born.isoformat(),
                "sex": "F" if i % 2 else "M",
            },
            "mother_pin": pin_number(2 * i + 1),
            "father_pin": None,
        }


async def raw_producer_seconds(bootstrap_servers: str, topic: str, feed: Path, batch: int) -> float:
    """The same records sent by a bare idempotent producer, a batch at a time."""
    records = (await asyncio.to_thread(feed.read_bytes)).splitlines()
    producer = idempotent_producer(bootstrap_servers, "bench-raw")
    await producer.start()
    try:
        started = time.perf_counter()
        for at in range(0, len(records), batch):
            futures = [
                await producer.send(topic, value=r, key=str(at + i).encode())
                for i, r in enumerate(records[at : at + batch])
            ]
            await asyncio.gather(*futures)
        return time.perf_counter() - started
    finally:
        await producer.stop()


async def connector_seconds(settings: ConnectorSettings, last_seq: int) -> float:
    """The civil connector from its first page until its cursor stands at ``last_seq``."""
    service = bootstrap.build(settings, "civil")
    await service.start(configure_logging=False)
    schema = settings.connectors_schema
    query = text(f'SELECT seq FROM "{schema}".checkpoints WHERE name = :n')  # noqa: S608
    started = time.perf_counter()
    serving = asyncio.create_task(service.serve())
    try:
        while not serving.done():
            async with service.runtime.engine.connect() as conn:
                if (await conn.execute(query, {"n": "civil-registry"})).scalar() == last_seq:
                    return time.perf_counter() - started
            await asyncio.sleep(0.05)
        await serving  # it ended early: raise what ended it
        raise RuntimeError("the connector stopped before the end of the feed")
    finally:
        service.stop()
        await asyncio.gather(serving, return_exceptions=True)


async def measure(
    n: int,
    kafka_bootstrap: str = LOCAL_KAFKA,
    database_url: str = LOCAL_DATABASE_URL,
    page_size: int = 1000,
) -> dict[str, Any]:
    """Records per second into Kafka: the civil connector and the raw producer, same run."""
    run = uuid.uuid4().hex[:8]
    connector_topic, raw_topic = Topic(f"bench-civil-{run}", 6), Topic(f"bench-raw-{run}", 6)
    topics = [connector_topic, Topic(connector_topic.dead_letter, 6), raw_topic]
    settings = ConnectorSettings(
        kafka_bootstrap_servers=kafka_bootstrap,
        database_url=database_url,
        connectors_schema=f"bench_{run}",
        life_events_topic=connector_topic.name,
        civil_page_size=page_size,
        civil_poll_seconds=0.1,
    )
    with tempfile.TemporaryDirectory(prefix="connector-bench-") as folder:
        write_dataset(Path(folder), births(n))
        registries = LocalRegistries(Path(folder)).wait_until_ready()
        await ensure_topics(kafka_bootstrap, topics)
        try:
            settings = settings.model_copy(update={"civil_registry_url": registries.civil_url})
            feed = Path(folder) / CIVIL_FILE
            raw = await raw_producer_seconds(kafka_bootstrap, raw_topic.name, feed, page_size)
            connector = await connector_seconds(settings, n)
            delivered = {t.name: await _messages(kafka_bootstrap, t) for t in topics}
        finally:
            registries.stop()
            await _clean_up(settings, [t.name for t in topics])
    # each page that moved the cursor is followed by a marker on every partition (ADR 0008)
    markers = -(-n // page_size) * connector_topic.partitions
    return {
        "records": n,
        "page_size": page_size,
        "connector_events": delivered[connector_topic.name] - markers,
        "progress_markers": markers,
        "raw_producer_events": delivered[raw_topic.name],
        "connector_seconds": round(connector, 3),
        "connector_records_per_s": round(n / connector, 1),
        "raw_producer_seconds": round(raw, 3),
        "raw_producer_records_per_s": round(n / raw, 1),
        "connector_vs_raw": round(raw / connector, 3),
    }


async def _messages(bootstrap_servers: str, topic: Topic) -> int:
    """How many messages the topic holds (the sum of its end offsets)."""
    consumer = safe_consumer(bootstrap_servers, None)
    await consumer.start()
    try:
        parts = [TopicPartition(topic.name, p) for p in range(topic.partitions)]
        return int(sum((await consumer.end_offsets(parts)).values()))
    finally:
        await consumer.stop()


async def _clean_up(settings: ConnectorSettings, topics: list[str]) -> None:
    db = create_async_engine(settings.database_url)
    async with db.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{settings.connectors_schema}" CASCADE'))
    await db.dispose()
    await delete_topics(settings.kafka_bootstrap_servers, topics)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(json.dumps(asyncio.run(measure(n)), indent=2))  # noqa: T201 - a command-line tool


if __name__ == "__main__":
    main()
