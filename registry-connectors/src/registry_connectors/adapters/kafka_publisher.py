"""Sending to Kafka: every record handed to the producer at once, the acks awaited after.

Never ``send_and_wait`` per record: the producer batches what it is given together. It is
idempotent with ``acks=all`` (``benefits_shared.kafka.clients``), so its own retries write
nothing twice. ``send`` returns the :class:`Acks` of the batch, to be awaited when the
caller is ready (the civil connector reads its next page meanwhile); if any failed, the
caller moves no checkpoint and sends the whole batch again (same deterministic ids).

A registry record's event starts its journey's trace here (``ce_traceparent``, see
``benefits_shared.tracing``); progress markers and quarantined records start none.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from benefits_shared import tracing

from registry_connectors.metrics import RECORDS_PUBLISHED
from registry_connectors.outgoing import Outgoing


class Acks:
    """The broker's answers to one batch; collected even if nobody waits for them."""

    def __init__(self, futures: Sequence[asyncio.Future[Any]]) -> None:
        self._all = asyncio.gather(*futures, return_exceptions=True)

    async def wait(self) -> None:
        """Return once every message was acknowledged; raise the first failure."""
        for outcome in await self._all:
            if isinstance(outcome, BaseException):
                raise outcome


class KafkaPublisher:
    def __init__(self, producer: AIOKafkaProducer) -> None:
        self._producer = producer

    async def send(self, messages: Sequence[Outgoing]) -> Acks:
        futures = [
            await self._producer.send(
                m.topic, value=m.value, key=m.key, headers=_traced(m), partition=m.partition
            )
            for m in messages
        ]
        for topic, count in Counter(m.topic for m in messages).items():
            RECORDS_PUBLISHED.labels(topic).inc(count)
        return Acks(futures)

    async def partitions(self, topic: str) -> int:
        """How many partitions ``topic`` has (the producer's metadata)."""
        found = await self._producer.partitions_for(topic)
        return len(found)

    async def publish(self, messages: Sequence[Outgoing]) -> None:
        """Send and wait for every ack."""
        await (await self.send(messages)).wait()


class RecordsOnTopic:
    """How many records a topic holds (the sum of its end offsets), asked of the broker."""

    def __init__(self, reader: AIOKafkaConsumer, producer: AIOKafkaProducer, topic: str) -> None:
        self._reader = reader
        self._producer = producer
        self._topic = topic

    async def count(self) -> int:
        partitions = await self._producer.partitions_for(self._topic)
        ends = await self._reader.end_offsets([TopicPartition(self._topic, p) for p in partitions])
        return int(sum(ends.values()))


def _traced(m: Outgoing) -> list[tuple[str, bytes]]:
    """The headers, with a new trace for a registry record's event."""
    headers = list(m.headers)
    named = dict(headers)
    if m.partition is not None or "ce_id" not in named or tracing.HEADER in named:
        return headers
    event_type = named.get("ce_type", b"").decode()
    traceparent = tracing.new_trace(f"{m.topic} record read", event_type=event_type)
    return headers if traceparent is None else [*headers, (tracing.HEADER, traceparent.encode())]
