"""A consumer loop on a topic that may not exist yet: it waits for it instead of failing.

A service's auxiliary input (the ``ops-commands`` topic, ADR 12) must not stop its main
work when the topic has not been created in an environment (a test's fresh topics, a
benchmark): the loop checks for the topic now and then, says so in the log once, and
starts consuming once it is there. Stopped before, it stops at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Generic, TypeVar

from aiokafka import AIOKafkaProducer

from benefits_shared.connections import KafkaConnection
from benefits_shared.kafka.clients import safe_consumer
from benefits_shared.kafka.consumer_loop import ConsumerLoop, Decoder, Handler, LoopSettings
from benefits_shared.kafka.group_member import GroupMember
from benefits_shared.outages import KAFKA, OUTAGES, is_transient

log = logging.getLogger(__name__)
T = TypeVar("T")


class AwaitedTopicLoop(Generic[T]):
    def __init__(
        self,
        bootstrap: str | KafkaConnection,
        producer: AIOKafkaProducer,
        decode: Decoder[T],
        handle: Handler[T],
        settings: LoopSettings,
        topic: str,
        check_every_s: float = 30.0,
    ) -> None:
        self._bootstrap = bootstrap
        self._producer = producer
        self._decode = decode
        self._handle = handle
        self._settings = settings
        self.topic = topic
        self._check_every_s = check_every_s
        self._stopping = asyncio.Event()
        self._loop: ConsumerLoop[T] | None = None

    def stop(self) -> None:
        self._stopping.set()
        if self._loop is not None:
            self._loop.stop()

    async def run(self) -> None:
        said = False  # once, not every check: a topic missing for days is one line
        while not (exists := await self._exists()):
            if exists is not None and not said:
                log.warning("topic missing; waiting for it", extra={"topic": self.topic})
                said = True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._check_every_s)
            if self._stopping.is_set():
                return
        member = GroupMember(
            self._bootstrap,
            self._settings.group_id,
            lambda client_id: safe_consumer(
                self._bootstrap,
                self._settings.group_id,
                self.topic,
                client_id=client_id,
                session_timeout_ms=10_000,
                heartbeat_interval_ms=2_000,
            ),
        )
        self._loop = ConsumerLoop(
            member.consumer,
            self._producer,
            self._decode,
            self._handle,
            self._settings,
            member=member,
        )
        await member.consumer.start()
        try:
            if not self._stopping.is_set():
                await self._loop.run()
        finally:
            await member.stop()

    async def _exists(self) -> bool | None:
        """Whether the topic exists; None while Kafka is away (reported, not logged)."""
        reader = safe_consumer(self._bootstrap, None)
        try:
            await reader.start()
            return self.topic in await reader.topics()
        except Exception as exc:
            if not is_transient(exc):
                raise
            OUTAGES.failed(KAFKA, exc)
            return None
        finally:
            await reader.stop()
