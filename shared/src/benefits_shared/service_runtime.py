"""What every Kafka-and-PostgreSQL service is made of, started and stopped together.

A service's ``bootstrap.py`` builds a :class:`ServiceRuntime`, asks it for consumer loops
and an outbox relay, and ``run()`` s them until SIGTERM::

    runtime = ServiceRuntime("engine", settings, SCHEMA, "eligibility_engine.migrations")
    await runtime.start()                       # migrations, engine, producer
    loop = runtime.consumer_loop("engine", ["life-events"], handler.handle)
    await runtime.run(loop, runtime.outbox_relay())

``run`` starts every part at once and each consumer loop joins its group in its own task
(ADR 18): aiokafka's ``start()`` of a group member waits for the partition assignment,
which after a crash waits for the dead member's session to expire. The parts that need no
group (the outbox relay, a payment worker, an HTTP edge) work meanwhile. With
``KAFKA_GROUP_INSTANCE_ID`` set the members are static and a restarted one is not kept
waiting for its own dead predecessor at all.

While Kafka or PostgreSQL is away (a broker restart, a database crash, a stalled or cut
connection) no part ends: each retries with a backoff and reports to the process's
tracker (``benefits_shared.outages``), which logs one line when a dependency goes and one
when it is back; ``/readyz`` says which is away and for how long (ADR 0021).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from aiokafka import AIOKafkaConsumer
from pydantic import ValidationError
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from benefits_shared import json_logging, tracing
from benefits_shared.cloudevents import CloudEvent, decode, type_of
from benefits_shared.contracts import REGISTRY, Contract
from benefits_shared.db.messaging_tables import add_messaging_tables
from benefits_shared.db.migrations import migrate
from benefits_shared.db.outbox import OutboxRelay, RelayTables
from benefits_shared.db.sessions import make_engine, session_factory
from benefits_shared.errors import PoisonMessage
from benefits_shared.health import (
    HealthServer,
    database_answers,
    kafka_answers,
    nothing_away,
    partitions_assigned,
)
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.kafka.consumer_loop import ConsumerLoop, Decoder, Handler, LoopSettings
from benefits_shared.kafka.group_member import GroupMember
from benefits_shared.lifecycle import install_stop_signals, settle_heap
from benefits_shared.outages import KAFKA, OUTAGES, POSTGRESQL, DependencyWatch
from benefits_shared.pin import PinHasher
from benefits_shared.settings import CommonSettings

log = logging.getLogger(__name__)
#: Logged once ``run`` has its stop signals in place: from then on SIGTERM stops the
#: service cleanly (before it, the process ends at once, having done no work).
RUNNING = "service running"
T = TypeVar("T")


class Part(Protocol):
    async def run(self) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Received:
    """A consumed event: its envelope and its payload (None for a type we do not know)."""

    event: CloudEvent
    payload: Contract | None


def decode_contract(record: Any) -> Received:
    """Envelope and payload; a payload that breaks its contract is a poison message."""
    event = decode(record.headers, record.value)
    model = REGISTRY.get(event.type)
    if model is None:
        return Received(event, None)  # tolerant reader: a newer type we do not need
    try:
        return Received(event, model.model_validate(event.data))
    except ValidationError as exc:
        raise PoisonMessage(f"{event.type} breaks its contract: {exc}", kind="contract") from exc


def contract_decoder(applies: Iterable[type[Contract]]) -> Decoder[Received]:
    """``decode_contract`` for a handler that applies only the types ``applies`` (and their
    subtypes): an event of any other type on its topics is read from its headers alone and
    given no payload, as a type it does not know. Its value is neither parsed nor checked
    against its contract (that is its producer's and its readers' business), and the
    handlers claim no inbox row for it: it has no effect here to make exactly once."""
    bases = tuple(applies)
    names = frozenset(name for name, model in REGISTRY.items() if issubclass(model, bases))

    def decode_applied(record: Any) -> Received:
        if type_of(record.headers) in names:
            return decode_contract(record)
        return Received(decode(record.headers, record.value, with_data=False), None)

    return decode_applied


def not_applied(topics: Iterable[str], applies: Iterable[type[Contract]]) -> set[type[Contract]]:
    """The contract types published on ``topics`` that a handler applying ``applies`` (and
    their subtypes) leaves alone: a service's tests name them, so that a type added to one
    of its topics is a decision, not an event silently passed over."""
    bases, on = tuple(applies), set(topics)
    published = (m for m in REGISTRY.values() if getattr(m, "TOPIC", None) in on)
    return {m for m in published if not issubclass(m, bases)}


class ServiceRuntime:
    def __init__(
        self,
        name: str,
        settings: CommonSettings,
        schema: str,
        migrations: str,
        pool_size: int = 5,
    ) -> None:
        self.name = name
        self.settings = settings
        self.schema = schema
        self._migrations = migrations
        self.hasher = PinHasher(settings.pin_hmac_key.get_secret_value())
        self.kafka, self.database = settings.kafka(), settings.database()
        self.engine: AsyncEngine = make_engine(self.database, pool_size)
        self.sessions: async_sessionmaker[AsyncSession] = session_factory(self.engine)
        self.producer = idempotent_producer(self.kafka, name)
        self._consumers: list[AIOKafkaConsumer] = []  # group-less readers, started first
        self._group_members: list[GroupMember] = []
        self._joining: dict[int, GroupMember] = {}  # id(loop) -> its group member

    async def start(self, configure_logging: bool = True) -> None:
        if configure_logging:
            json_logging.configure(self.name, self.hasher, self.settings.log_level)
            tracing.configure(self.name, self.settings.otel_exporter_otlp_endpoint)
        await OUTAGES.ride_out(
            POSTGRESQL, lambda: migrate(self.database, self._migrations, self.schema)
        )
        await OUTAGES.ride_out(KAFKA, self.producer.start)

    def consumer_loop(
        self,
        group: str,
        topics: Sequence[str],
        handle: Handler[Received],
        batch_max: int = 500,
        applies: Iterable[type[Contract]] | None = None,
    ) -> ConsumerLoop[Received]:
        """A loop of contracts; given ``applies``, the types its handler applies, the
        others' values are not read (``contract_decoder``)."""
        decoder = decode_contract if applies is None else contract_decoder(applies)
        return self.consumer_loop_of(decoder, group, topics, handle, batch_max)

    def consumer_loop_of(
        self,
        decode: Decoder[T],
        group: str,
        topics: Sequence[str],
        handle: Handler[T],
        batch_max: int = 500,
    ) -> ConsumerLoop[T]:
        """A loop with its own decoder (e.g. one that never refuses a record)."""
        instance = self.settings.kafka_group_instance_id

        def consumer(client_id: str) -> AIOKafkaConsumer:
            return safe_consumer(
                self.kafka,
                group,
                *topics,
                client_id=client_id,
                session_timeout_ms=10_000,
                heartbeat_interval_ms=2_000,
                group_instance_id=f"{group}:{instance}" if instance else None,
            )

        member = GroupMember(self.kafka, group, consumer)
        self._group_members.append(member)
        loop = ConsumerLoop(
            member.consumer,
            self.producer,
            decode,
            handle,
            LoopSettings(group, batch_max),
            member=member,
        )
        self._joining[id(loop)] = member
        return loop

    def outbox_relay(self) -> OutboxRelay:
        """The relay of this service's outbox (its own schema)."""
        _, outbox, batches = add_messaging_tables(MetaData(schema=self.schema))
        return OutboxRelay(self.engine, RelayTables(outbox, batches), self.producer, self.reader())

    def reader(self) -> AIOKafkaConsumer:
        """A consumer of no group (offsets, assigned reads), started and stopped with the rest."""
        reader = safe_consumer(self.kafka, None)
        self._consumers.append(reader)
        return reader

    async def run(self, *parts: Part) -> None:
        """Run the parts until SIGTERM or until one fails; then stop all and clean up.

        Group-less readers start first (no group to wait for); then every part starts at
        once, a consumer loop joining its group in its own task before it polls. What was
        built until then is settled out of the collector's way (``settle_heap``), once the
        stop signals are in place (``RUNNING`` is logged then).
        """
        for consumer in self._consumers:
            await OUTAGES.ride_out(KAFKA, consumer.start)
        parts = (*parts, self._watch(), *self._health())
        install_stop_signals(*parts)
        settle_heap()  # before the first await: no part has run yet
        log.info(RUNNING)
        tasks = [asyncio.create_task(self._joined(p), name=type(p).__name__) for p in parts]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for part in parts:
                part.stop()
            await asyncio.gather(*tasks, return_exceptions=True)
            for task in done:
                if task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
        finally:
            await self.close()

    async def _joined(self, part: Part) -> None:
        """Run ``part``; a consumer loop's member joins its group first, in this task."""
        member = self._joining.pop(id(part), None)
        if member is not None:
            await member.start()  # stopped by close(), joined or not
        await part.run()

    def _watch(self) -> DependencyWatch:
        """Asks Kafka and PostgreSQL whether they answer again while either is away."""
        probes = {KAFKA: kafka_answers(self.producer), POSTGRESQL: database_answers(self.engine)}
        return DependencyWatch(probes)

    def _health(self) -> list[HealthServer]:
        """The probes' server when ``HEALTH_PORT`` is set (ready: nothing away, PostgreSQL,
        Kafka, partitions assigned)."""
        if self.settings.health_port is None:
            return []
        checks = [
            nothing_away(OUTAGES),
            database_answers(self.engine),
            kafka_answers(self.producer),
        ]
        if self._group_members:
            checks.append(partitions_assigned(lambda: [m.consumer for m in self._group_members]))
        return [HealthServer(self.settings.health_host, self.settings.health_port, checks)]

    async def close(self) -> None:
        for consumer in self._consumers:
            await consumer.stop()
        for member in self._group_members:
            await member.stop()
        await self.producer.stop()
        await self.engine.dispose()
