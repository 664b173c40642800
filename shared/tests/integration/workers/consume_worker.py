"""A consumer process for the kill tests: applies each event once, slowly.

argv: bootstrap database_url topic group schema. Each batch: the inbox claim and the
effects in one transaction, a pause inside it (a kill then loses the transaction), and a
pause after it (a kill then loses the offset commit). SIGTERM stops it cleanly.
"""

import asyncio
import random
import sys

from benefits_shared.cloudevents import decode
from benefits_shared.db.inbox import claim_new
from benefits_shared.db.messaging_tables import inbox_table
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.kafka.consumer_loop import ConsumerLoop, LoopSettings
from benefits_shared.lifecycle import install_stop_signals
from benefits_shared.testing import worker_ready
from sqlalchemy import Column, DateTime, MetaData, String, Table, func, insert
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine


async def main(bootstrap: str, url: str, topic: str, group: str, schema: str) -> None:
    metadata = MetaData(schema=schema)
    inbox = inbox_table(metadata)
    effects = Table(
        "effects",
        metadata,
        Column("event_id", String(64)),
        Column("applied_at", DateTime(timezone=True), server_default=func.now()),
    )
    engine = create_async_engine(url)
    sessions = async_sessionmaker(engine)

    async def handle(batch):  # type: ignore[no-untyped-def]
        async with sessions.begin() as session:
            new = await claim_new(session, inbox, [d.message.id for d in batch])
            rows = [{"event_id": d.message.id} for d in batch if d.message.id in new]
            if rows:
                await session.execute(insert(effects), rows)
            await asyncio.sleep(random.uniform(0, 0.05))
        await asyncio.sleep(random.uniform(0, 0.05))

    consumer = safe_consumer(
        bootstrap, group, topic, session_timeout_ms=6000, heartbeat_interval_ms=1000
    )
    producer = idempotent_producer(bootstrap, group)
    await consumer.start()
    await producer.start()
    loop = ConsumerLoop(consumer, producer, decode_record, handle, LoopSettings(group, 50))
    install_stop_signals(loop)
    worker_ready()  # SIGTERM is handled from here on
    try:
        await loop.run()
    finally:
        await consumer.stop()
        await producer.stop()
        await engine.dispose()


def decode_record(record):  # type: ignore[no-untyped-def]
    return decode(record.headers, record.value)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
