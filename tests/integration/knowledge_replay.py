"""A run of ``knowledge_world`` read again from offset 0 by a new engine (a schema, a group
and a decisions topic of its own), with ``persons`` as Kafka's log cleaner leaves a
compacted topic: on each partition, the latest record of each key, in their order.

The test's ``persons`` is never really compacted (its segments are far from full), and
compaction is what could break a replay: a person updated after the last marker of their
partition would keep only that later record, after the marker (ADR 0008). So the replay
reads a copy compacted here, every record keeping its partition, key, headers and
timestamp.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, replace

from aiokafka import TopicPartition
from aiokafka.structs import ConsumerRecord
from benefits_shared.contracts.progress import PopulationCopyProgress
from benefits_shared.kafka.admin import ensure_topics
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.topics import BENEFIT_DECISIONS, CLOCK_TICKS, LIFE_EVENTS, PAYMENTS, PERSONS
from devstack.namespace import Namespace
from knowledge_world import Engine, Run, Stack, decided

Log = dict[int, list[ConsumerRecord[bytes, bytes]]]


@dataclass
class Replay:
    run: Run
    dropped: int  # records of persons the compaction left out
    #: Partitions of persons whose last record is not a marker: a compaction there could
    #: leave a person after every marker.
    unmarked: list[int]


async def replay(s: Stack) -> Replay:
    """Stops the run's processes (so nothing more comes), then a new engine reads its
    topics from the start, ``persons`` compacted, and the clock's ticks only once it has
    decided everything else: the order a replay is most likely to get wrong, every case
    decided before the engine knows the day (ADR 0005, amended 2026-12-05)."""
    s.stop()
    again = Namespace(suffix=f"{s.ns.suffix}r")
    await ensure_topics(s.kafka, again.topics())
    log = await _read(s.kafka, s.ns.topic(PERSONS), PERSONS.partitions)
    kept = {p: _compacted(records) for p, records in log.items()}
    await _write(s.kafka, again.topic(PERSONS), kept)
    clock = again.topic(CLOCK_TICKS)
    inputs = [again.topic(PERSONS), clock, *(s.ns.topic(t) for t in (LIFE_EVENTS, PAYMENTS))]
    env = again.service_env()["engine"] | {"ENGINE_INPUT_TOPICS": json.dumps(inputs)}
    s.start("replay-engine", "eligibility_engine", env)
    reads = (
        (s.ns.topic(LIFE_EVENTS), LIFE_EVENTS.partitions),
        (again.topic(PERSONS), PERSONS.partitions),
    )
    decisions = again.topic(BENEFIT_DECISIONS)
    watch = Engine(again.name("engine"), again.group("engine"), reads, decisions)
    await decided(s, watch, timeout=300)
    await _write(s.kafka, clock, await _read(s.kafka, s.ns.topic(CLOCK_TICKS), 1))
    watch = replace(watch, reads=(*reads, (clock, CLOCK_TICKS.partitions)))
    dropped = sum(len(log[p]) - len(kept[p]) for p in log)
    unmarked = [p for p, records in log.items() if records and not _is_marker(records[-1])]
    return Replay(await decided(s, watch, timeout=300), dropped, unmarked)


def _is_marker(record: ConsumerRecord[bytes, bytes]) -> bool:
    return (record.key or b"").startswith(f"{PopulationCopyProgress.NAME}:".encode())


def _compacted(
    records: list[ConsumerRecord[bytes, bytes]],
) -> list[ConsumerRecord[bytes, bytes]]:
    """The latest record of each key, in the order of the log."""
    latest = {r.key: n for n, r in enumerate(records)}
    return [r for n, r in enumerate(records) if latest[r.key] == n]


async def _read(kafka: str, topic: str, partitions: int) -> Log:
    reader = safe_consumer(kafka, None)
    await reader.start()
    try:
        parts = [TopicPartition(topic, p) for p in range(partitions)]
        reader.assign(parts)
        await reader.seek_to_beginning(*parts)
        ends = await reader.end_offsets(parts)
        log: Log = {tp.partition: [] for tp in parts}
        while [tp for tp in parts if await reader.position(tp) < ends[tp]]:
            for tp, records in (await reader.getmany(timeout_ms=1000)).items():
                log[tp.partition].extend(records)
        return log
    finally:
        await reader.stop()


async def _write(kafka: str, topic: str, log: Log) -> None:
    producer = idempotent_producer(kafka, "compacted-copy")
    await producer.start()
    try:
        sent = [
            await producer.send(
                topic,
                r.value,
                key=r.key,
                partition=partition,
                timestamp_ms=r.timestamp,
                headers=list(r.headers),
            )
            for partition, records in log.items()
            for r in records
        ]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()
