"""The engine on real Kafka and PostgreSQL: fresh topics and schema per test, the engine
run as its own process (``python -m eligibility_engine``) so that tests can kill it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from benefits_shared.contracts import Contract
from benefits_shared.db.migrations import migrate
from benefits_shared.kafka.admin import ensure_topics
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.kafka.everything_known import announce_everything_known
from benefits_shared.pin import PinHasher
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from benefits_shared.topics import Topic
from eligibility_engine.knowledge import epoch_ms
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

HASHER = PinHasher(DEV_PIN_HMAC_KEY)
ROLES = ("persons", "life-events", "clock-ticks", "payments", "benefit-decisions")


@contextlib.asynccontextmanager
async def rig_on(
    bootstrap: str, database_url: str, schema: str, unique: str, engine: AsyncEngine
) -> AsyncIterator[EngineRig]:
    """A rig with fresh topics and ``schema`` migrated, everything known (ADR 0008); the
    engines it started are killed after."""
    topics = {role: f"{role}-{unique}" for role in ROLES}
    await ensure_topics(
        bootstrap,
        [Topic(name, 3) for name in topics.values()]
        + [Topic(f"{name}.dlq", 3) for name in topics.values()],
    )
    await migrate(database_url, "eligibility_engine.migrations", schema)
    rig = EngineRig(bootstrap, database_url, schema, topics, f"engine-{unique}", engine)
    await rig.know_everything()
    yield rig
    for proc in rig.processes:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@dataclass
class EngineRig:
    bootstrap: str
    database_url: str
    schema: str
    topics: dict[str, str]
    group: str
    engine: AsyncEngine
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        inputs = [self.topics[r] for r in ROLES[:4]]
        return {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "DATABASE_URL": self.database_url,
            "ENGINE_SCHEMA": self.schema,
            "ENGINE_GROUP": self.group,
            "ENGINE_INPUT_TOPICS": json.dumps(inputs),
            "ENGINE_DECISIONS_TOPIC": self.topics["benefit-decisions"],
            "ENGINE_BATCH_MAX": "100",
            "LOG_LEVEL": "WARNING",
        }

    def start(
        self, more_env: dict[str, str] | None = None, log: Path | None = None
    ) -> subprocess.Popen[bytes]:
        """The engine as a process (its log, stderr, into ``log`` when given)."""
        with contextlib.ExitStack() as files:
            stderr = files.enter_context(log.open("wb")) if log is not None else None
            proc = subprocess.Popen(
                [sys.executable, "-m", "eligibility_engine"],
                env={**self.env(), **(more_env or {})},
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        self.processes.append(proc)
        return proc

    async def publish(self, events: Iterable[tuple[Contract, str | None]]) -> None:
        """Publish payloads on their topics, keyed like the connectors key them, each as if
        it reached Kafka at its event's time (the day a case is decided on reads it)."""
        producer = idempotent_producer(self.bootstrap, "test-feed")
        await producer.start()
        try:
            futures = []
            for payload, pin in events:
                at = _time_of(payload)
                event = payload.to_cloudevent("/test", at, None)
                key = HASHER.kafka_key(pin) if pin else b"clock"
                futures.append(
                    await producer.send(
                        self.topics[payload.TOPIC],
                        value=event.value(),
                        key=key,
                        headers=event.headers(),
                        timestamp_ms=epoch_ms(at),  # it reached Kafka then
                    )
                )
            await asyncio.gather(*futures)
        finally:
            await producer.stop()

    async def know_everything(self) -> None:
        """Tell the engine both registries are copied completely (ADR 0008): the tests that
        feed it records directly, without the connectors and their progress markers."""
        topics = self.topics
        await announce_everything_known(self.bootstrap, topics["persons"], topics["life-events"], 3)

    async def scalar(self, sql: str) -> Any:
        async with self.engine.connect() as conn:
            return (await conn.execute(text(sql.replace("{s}", f'"{self.schema}"')))).scalar()

    async def wait_idle(self, timeout: float = 120) -> None:
        """Until the engine's group has no lag and the outbox is empty."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lag = await self.lag()
            pending = await self.scalar(
                "SELECT count(*) FROM {s}.outbox WHERE published_at IS NULL"
            )
            if lag == 0 and pending == 0:
                return
            await asyncio.sleep(0.3)
        raise TimeoutError("the engine did not catch up")

    async def lag(self) -> int:
        from aiokafka.admin import AIOKafkaAdminClient

        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        await admin.start()
        try:
            committed = await admin.list_consumer_group_offsets(self.group)
        finally:
            await admin.close()
        reader = safe_consumer(self.bootstrap, None)
        await reader.start()
        try:
            parts = [tp for t in ROLES[:4] for tp in _partitions(reader, self.topics[t])]
            ends = await reader.end_offsets(parts)
        finally:
            await reader.stop()
        return sum(
            end - (committed[tp].offset if tp in committed else 0) for tp, end in ends.items()
        )

    async def decisions_on_topic(self) -> list[dict[str, Any]]:
        reader = safe_consumer(self.bootstrap, None, self.topics["benefit-decisions"])
        await reader.start()
        out: list[dict[str, Any]] = []
        try:
            while True:
                batch = await reader.getmany(timeout_ms=2000)
                if not batch:
                    return out
                for records in batch.values():
                    for r in records:
                        out.append(
                            {"ce_id": dict(r.headers)["ce_id"].decode(), **json.loads(r.value)}
                        )
        finally:
            await reader.stop()


def _partitions(reader: Any, topic: str) -> list[Any]:
    from aiokafka import TopicPartition

    return [TopicPartition(topic, p) for p in range(3)]


def _time_of(payload: Contract) -> datetime:
    for name in ("registered_at",):
        value = getattr(payload, name, None)
        if isinstance(value, datetime):
            return value
    day = getattr(payload, "issued_at", None) or getattr(payload, "day", None)
    if day is not None:
        return datetime(day.year, day.month, day.day, 12, tzinfo=_baku())
    return datetime(2026, 1, 1, 12, tzinfo=_baku())


def _baku() -> Any:
    from benefits_shared.clock import BAKU

    return BAKU


async def final_decisions(rig: EngineRig) -> dict[tuple[str, str], dict[str, Any]]:
    """(benefit, subject) → the body of each case's last decision, from the engine's tables."""
    async with rig.engine.connect() as conn:
        rows = await conn.execute(
            text(
                f'SELECT c.benefit, c.subject, d.body FROM "{rig.schema}".cases c '
                f'JOIN "{rig.schema}".decisions d ON d.decision_id = c.last_decision_id '
                "WHERE c.case_id NOT LIKE 'B2-reexamination%'"
            )
        )
        return {(r[0], r[1]): r[2] for r in rows}
