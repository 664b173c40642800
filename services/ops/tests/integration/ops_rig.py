"""The ops service on real Kafka and PostgreSQL, run as a process (``python -m benefits_ops``)
over fresh topics (the catalog's, suffixed) and a fresh schema; events are published as
the services publish them (CloudEvents of the shared contracts, keys by PIN hash)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
from aiokafka import TopicPartition
from benefits_ops.access import Role
from benefits_ops.bootstrap import TokenAdmin
from benefits_ops.config import OpsSettings
from benefits_shared.contracts import Contract
from benefits_shared.kafka.admin import ensure_topics
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.kafka.dead_letters import send_to_dead_letters
from benefits_shared.local_ports import free_port
from benefits_shared.pin import PinHasher
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from benefits_shared.topics import CATALOG, Topic, dead_letter_topic

HASHER = PinHasher(DEV_PIN_HMAC_KEY)


async def eventually(check: Callable[[], Awaitable[bool]], what: str, seconds: float = 60) -> None:
    """Poll ``check`` until it holds (a bound on waiting, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"not within {seconds}s: {what}")


@dataclass
class OpsRig:
    kafka: str
    database_url: str
    suffix: str
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    tokens: dict[Role, str] = field(default_factory=dict)
    _env: dict[str, str] = field(default_factory=dict)

    @property
    def schema(self) -> str:
        return f"ops_t_{self.suffix}"

    def topic(self, name: str) -> str:
        """A catalog topic's name in this test (``life-events`` → ``life-events-<suffix>``)."""
        base, dlq = name.removesuffix(".dlq"), name.endswith(".dlq")
        return f"{base}-{self.suffix}" + (".dlq" if dlq else "")

    @property
    def topics(self) -> list[Topic]:
        out = []
        for t in CATALOG:
            mine = Topic(self.topic(t.name), t.partitions, t.compacted)
            out += [mine, dead_letter_topic(mine)]
        return out

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settings(self) -> OpsSettings:
        return OpsSettings(
            kafka_bootstrap_servers=self.kafka,
            database_url=self.database_url,
            ops_schema=self.schema,
        )

    async def start(self) -> None:
        await ensure_topics(self.kafka, self.topics)
        admin = TokenAdmin(self.settings())
        for role in Role:
            _, self.tokens[role] = await admin.create(f"test-{role.value}", role, "test-rig")
        env = {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka,
            "DATABASE_URL": self.database_url,
            "OPS_SCHEMA": self.schema,
            "OPS_GROUP": f"ops-projection-{self.suffix}",
            "OPS_TOPICS": "[" + ",".join(f'"{t.name}"' for t in self.topics) + "]",
            "OPS_HTTP_PORT": str(self.port),
            # Small batches: a backlog takes many commits, so a kill lands inside one.
            "OPS_BATCH_MAX": "50",
        }
        self._env = env
        self.process = self._spawn(env)
        await eventually(self._ready, "the ops service answers /readyz")

    def _spawn(self, env: dict[str, str]) -> subprocess.Popen[bytes]:
        with self.log.open("ab") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "benefits_ops"], env=env, stdout=out, stderr=out
            )

    async def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"the ops service exited: {self.log.read_text()[-3000:]}")
        try:
            async with httpx.AsyncClient() as client:
                return (await client.get(f"{self.url}/readyz")).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        """SIGKILL: no last commit, as a crash or an OOM kill would do."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=30)

    async def restart(self) -> None:
        self.process = self._spawn(self._env)
        await eventually(self._ready, "the ops service answers /readyz again")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def client(self, role: Role | None) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return httpx.AsyncClient(base_url=self.url, headers=headers, timeout=60)

    async def publish(self, events: list[tuple[Contract, str | None]]) -> None:
        """Each contract to its topic, keyed by the PIN hash given (as the services do)."""
        producer = idempotent_producer(self.kafka, "ops-test")
        await producer.start()
        try:
            for contract, pin in events:
                event = contract.to_cloudevent("test", datetime.now(UTC), _subject(pin))
                key = HASHER.kafka_key(pin) if pin else None
                await producer.send_and_wait(
                    self.topic(contract.TOPIC), event.value(), key=key, headers=event.headers()
                )
        finally:
            await producer.stop()

    async def dead_letter(
        self, contract: Contract, pin: str | None, data: dict[str, Any], reason: str
    ) -> None:
        """Dead-letter a record of ``contract``'s topic carrying ``data``, as a consumer does."""
        event = contract.to_cloudevent("test", datetime.now(UTC), _subject(pin))
        import json

        record = SimpleNamespace(
            topic=self.topic(contract.TOPIC),
            partition=0,
            offset=41,
            key=HASHER.kafka_key(pin) if pin else None,
            value=json.dumps(data).encode(),
            headers=event.headers(),
        )
        producer = idempotent_producer(self.kafka, "ops-test")
        await producer.start()
        try:
            await send_to_dead_letters(producer, record, reason, "contract", "eligibility-engine")
        finally:
            await producer.stop()

    async def read_all(self, name: str) -> list[Any]:
        """Every record of one of this test's topics, from the start to its current end."""
        topic = next(t for t in self.topics if t.name == self.topic(name))
        reader = safe_consumer(self.kafka, None)
        await reader.start()
        out: list[Any] = []
        try:
            tps = [TopicPartition(topic.name, p) for p in range(topic.partitions)]
            ends = await reader.end_offsets(tps)
            todo = [tp for tp in tps if ends[tp] > 0]
            if todo:
                reader.assign(todo)
                await reader.seek_to_beginning(*todo)
            while todo:
                batch = await reader.getmany(*todo, timeout_ms=1000)
                for records in batch.values():
                    out += records
                todo = [tp for tp in todo if await reader.position(tp) < ends[tp]]
        finally:
            await reader.stop()
        return out


def _subject(pin: str | None) -> str | None:
    return HASHER.digest(pin) if pin else None
