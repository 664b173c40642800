"""Sending a batch to Kafka: every record handed to the producer, then every ack awaited.

Never ``send_and_wait`` per record: the producer batches what it is given at once. The
producer is idempotent with ``acks=all`` (``benefits_shared.kafka.clients``), so a retry
inside it writes nothing twice; if the batch fails, the caller sends the whole batch again
(same deterministic ids) and moves no checkpoint.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from aiokafka import AIOKafkaProducer

from registry_connectors.outgoing import Outgoing


class KafkaPublisher:
    def __init__(self, producer: AIOKafkaProducer) -> None:
        self._producer = producer

    async def publish(self, messages: Sequence[Outgoing]) -> None:
        """Return once the broker acknowledged every message (raise if any failed)."""
        futures = [
            await self._producer.send(m.topic, value=m.value, key=m.key, headers=list(m.headers))
            for m in messages
        ]
        outcomes = await asyncio.gather(*futures, return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
