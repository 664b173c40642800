"""Kafka for ops actions: read one record at its offset, send a redriven record."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from benefits_shared.connections import KafkaConnection, kafka_options
from benefits_shared.kafka.clients import safe_consumer

from benefits_ops.errors import NotFound
from benefits_ops.metrics import REDRIVES
from benefits_ops.projection import RawRecord
from benefits_ops.redrive import Redrive

READ_TIMEOUT_MS = 10_000


class KafkaRecords:
    def __init__(self, bootstrap: str | KafkaConnection, producer: AIOKafkaProducer) -> None:
        self.bootstrap = bootstrap
        self._producer = producer

    async def read(self, topic: str, partition: int, offset: int) -> RawRecord:
        """The record at ``topic[partition]@offset`` (e.g. a dead letter's raw payload)."""
        consumer = safe_consumer(self.bootstrap, None)
        await consumer.start()
        try:
            tp = TopicPartition(topic, partition)
            consumer.assign([tp])
            consumer.seek(tp, offset)
            batch = await consumer.getmany(tp, timeout_ms=READ_TIMEOUT_MS, max_records=1)
            for record in batch.get(tp, []):
                if record.offset == offset:
                    headers = tuple((k, v) for k, v in record.headers or () if v is not None)
                    return RawRecord(topic, partition, offset, record.key, record.value, headers)
        finally:
            await consumer.stop()
        raise NotFound(f"no record at {topic}[{partition}]@{offset} (past retention?)")

    async def send(self, redrive: Redrive) -> None:
        await self._producer.send_and_wait(
            redrive.topic, value=redrive.value, key=redrive.key, headers=redrive.headers
        )
        REDRIVES.labels(redrive.topic).inc()


@dataclass(frozen=True, slots=True)
class GroupPosition:
    """A consumer group over some topics: records not yet processed, and the sum of its
    committed offsets (it grows while the group works, whatever the lag)."""

    lag: int
    committed: int


async def consumer_lag(bootstrap: str | KafkaConnection, topics: Sequence[str]) -> dict[str, int]:
    """Records not yet processed, per consumer group that reads any of ``topics``."""
    return {group: at.lag for group, at in (await group_positions(bootstrap, topics)).items()}


async def group_positions(
    bootstrap: str | KafkaConnection, topics: Sequence[str]
) -> dict[str, GroupPosition]:
    """Where each consumer group that reads any of ``topics`` stands, from the broker."""
    admin = AIOKafkaAdminClient(**kafka_options(bootstrap), request_timeout_ms=10_000)
    reader = safe_consumer(bootstrap, None)
    await admin.start()
    await reader.start()
    try:
        wanted = set(topics)
        committed: dict[str, dict[TopicPartition, int]] = {}
        for group, *_ in await admin.list_consumer_groups():
            offsets = await admin.list_consumer_group_offsets(group)
            mine = {tp: meta.offset for tp, meta in offsets.items() if tp.topic in wanted}
            if mine:
                committed[group] = mine
        every = sorted({tp for offsets in committed.values() for tp in offsets})
        ends = await reader.end_offsets(every) if every else {}
        return {
            group: GroupPosition(
                sum(max(0, ends.get(tp, 0) - offset) for tp, offset in offsets.items()),
                sum(max(0, offset) for offset in offsets.values()),
            )
            for group, offsets in sorted(committed.items())
        }
    finally:
        await admin.close()
        await reader.stop()
