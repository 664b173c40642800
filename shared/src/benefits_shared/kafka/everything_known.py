"""Progress markers saying every registry is copied completely, sent to every partition:
for whoever feeds the engine records without the connectors (a benchmark, a test of other
rules). ADR 0008 says why the engine waits for markers."""

from __future__ import annotations

from datetime import UTC, datetime

from benefits_shared.contracts.progress import everything_known
from benefits_shared.kafka.clients import idempotent_producer


async def announce_everything_known(
    bootstrap: str, persons_topic: str, life_events_topic: str, partitions: int
) -> None:
    """Each registry's marker on each of ``partitions`` partitions of its topic."""
    topics = {"persons": persons_topic, "life-events": life_events_topic}
    producer = idempotent_producer(bootstrap, "everything-known")
    await producer.start()
    try:
        for marker in everything_known(partitions, partitions):
            event = marker.to_cloudevent("/everything-known", datetime.now(UTC), None)
            await producer.send(
                topics[marker.TOPIC],
                value=event.value(),
                key=marker.kafka_key(),
                headers=event.headers(),
                partition=marker.partition,
            )
        await producer.flush()
    finally:
        await producer.stop()
