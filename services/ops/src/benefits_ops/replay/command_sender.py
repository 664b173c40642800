"""Publishes ops commands on ``ops-commands`` (the only way ops change anything elsewhere).

Keyed by the command id; a cancellation by the id of the command it cancels, so that it
lands on that command's partition, after it. Sent with the service's idempotent producer
and awaited: when ``send`` returns, the command is in Kafka.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer
from benefits_shared.contracts.ops import CancelCommand, OpsCommand
from benefits_shared.topics import OPS_COMMANDS

from benefits_ops.metrics import COMMANDS
from benefits_ops.projection import DLQ_SUFFIX, area_of

SOURCE = "/ops"


class CommandSender:
    def __init__(self, producer: AIOKafkaProducer, topic: str) -> None:
        self._producer = producer
        self.topic = topic

    async def send(self, command: OpsCommand) -> None:
        key = (
            command.target_command_id if isinstance(command, CancelCommand) else command.command_id
        )
        event = command.to_cloudevent(SOURCE, datetime.now(UTC), None)
        await self._producer.send_and_wait(
            self.topic, value=event.value(), key=key.encode(), headers=event.headers()
        )
        COMMANDS.labels(type(command).__name__).inc()


def commands_topic(topics: Iterable[str]) -> str:
    """The ``ops-commands`` topic among the service's topics (a run's namespace names it)."""
    for topic in topics:
        if area_of(topic) == OPS_COMMANDS.name and not topic.endswith(DLQ_SUFFIX):
            return topic
    return OPS_COMMANDS.name
