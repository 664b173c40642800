"""The raw aiokafka baseline: consume the input topics and produce every record to an
output topic, batched, no processing. What the services are compared with."""

from __future__ import annotations

import asyncio
import time

from aiokafka import TopicPartition
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer


async def passthrough(bootstrap: str, inputs: list[str], output: str, total: int) -> float:
    """Records per second through consume → produce (acks=all), until ``total`` moved."""
    consumer = safe_consumer(bootstrap, f"bench-passthrough-{time.time_ns()}", *inputs)
    producer = idempotent_producer(bootstrap, "bench-passthrough")
    await consumer.start()
    await producer.start()
    moved = 0
    started = time.monotonic()
    try:
        while moved < total:
            batch = await consumer.getmany(timeout_ms=1000, max_records=2000)
            futures = [
                await producer.send(output, value=r.value, key=r.key, headers=list(r.headers))
                for records in batch.values()
                for r in records
            ]
            await asyncio.gather(*futures)
            await consumer.commit()
            moved += len(futures)
        return moved / (time.monotonic() - started)
    finally:
        await consumer.stop()
        await producer.stop()


async def produce_rate(
    bootstrap: str, topic: str, payloads: list[tuple[bytes, bytes, list[tuple[str, bytes]]]]
) -> float:
    """Records per second of a plain batched producer (acks=all, idempotent)."""
    producer = idempotent_producer(bootstrap, "bench-producer")
    await producer.start()
    try:
        started = time.monotonic()
        futures = [await producer.send(topic, value=v, key=k, headers=h) for k, v, h in payloads]
        await asyncio.gather(*futures)
        return len(payloads) / (time.monotonic() - started)
    finally:
        await producer.stop()


__all__ = ["TopicPartition", "passthrough", "produce_rate"]
