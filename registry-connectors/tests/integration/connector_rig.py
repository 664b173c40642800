"""The rig of the connectors' integration tests.

- the registry simulators (``registry-simulators``) serve a dataset on free ports;
- the connector runs as ``python -m registry_connectors <which>`` in its own process, so a
  test can SIGKILL it;
- topics are read back whole, up to their end offsets;
- the connector's checkpoints are read from its schema.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka import TopicPartition
from benefits_shared.kafka.clients import safe_consumer
from benefits_shared.pin import PinHasher
from registry_connectors.local_registries import LocalRegistries
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

TEST_PIN_KEY = "integration-test-pin-key"
HASHER = PinHasher(TEST_PIN_KEY)


@dataclass(frozen=True)
class Message:
    key: bytes | None
    value: bytes
    headers: dict[str, str]
    partition: int = 0

    @property
    def is_marker(self) -> bool:
        return self.headers.get("ce_type", "").endswith("-progress.v1")

    @property
    def data(self) -> Any:
        return json.loads(self.value)


class Rig:
    def __init__(self, env: dict[str, str], life_events: str, persons: str, tmp: Path) -> None:
        self.env = env
        self.life_events = life_events
        self.persons = persons
        self.tmp = tmp
        self._processes: list[subprocess.Popen[bytes]] = []
        self.registries: LocalRegistries | None = None

    # ------------------------------------------------------------ registries and connector
    def serve(self, data: Path, **env: str) -> LocalRegistries:
        index = str(self.tmp / "index")
        self.registries = LocalRegistries(data, REGISTRY_SIM_INDEX_DIR=index, **env)
        self.registries.wait_until_ready()
        self.env["CIVIL_REGISTRY_URL"] = self.registries.civil_url
        self.env["POPULATION_REGISTRY_URL"] = self.registries.population_url
        return self.registries

    def start(self, which: str, **env: str) -> subprocess.Popen[bytes]:
        log = (self.tmp / f"connector-{len(self._processes)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "registry_connectors", which],
            env={**os.environ, **self.env, **env},
            stdout=log,
            stderr=log,
        )
        self._processes.append(process)
        return process

    @staticmethod
    def kill(process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    @staticmethod
    def terminate(process: subprocess.Popen[bytes]) -> int:
        process.send_signal(signal.SIGTERM)
        return process.wait(timeout=30)

    def logs(self) -> str:
        return "".join(p.read_text() for p in sorted(self.tmp.glob("connector-*.log")))

    def close(self) -> None:
        for process in self._processes:
            if process.poll() is None:
                self.kill(process)
        if self.registries is not None:
            self.registries.stop()

    # ------------------------------------------------------------ what the connector did
    async def checkpoint(self, name: str) -> dict[str, Any] | None:
        engine = create_async_engine(self.env["DATABASE_URL"])
        table = f'"{self.env["CONNECTORS_SCHEMA"]}".checkpoints'
        query = text(f"SELECT seq, after_pin, done FROM {table} WHERE name = :n")
        try:
            async with engine.connect() as conn:
                row = (await conn.execute(query, {"n": name})).first()
        except Exception:  # the schema is not migrated yet
            return None
        finally:
            await engine.dispose()
        if row is None:
            return None
        return {"seq": row.seq, "after_pin": row.after_pin, "done": row.done}

    async def query(self, sql: str) -> list[Any]:
        """Rows of ``sql`` where ``{schema}`` is the connector's schema ([] before it exists)."""
        engine = create_async_engine(self.env["DATABASE_URL"])
        try:
            async with engine.connect() as conn:
                schema = f'"{self.env["CONNECTORS_SCHEMA"]}"'
                return list(await conn.execute(text(sql.format(schema=schema))))
        except Exception:  # the schema is not migrated yet
            return []
        finally:
            await engine.dispose()

    async def count(self, topic: str) -> int:
        """Records and quarantined records of the topic, progress markers left out."""
        return len(await self.read(topic))

    async def read(self, topic: str) -> list[Message]:
        """Every message of the topic up to its end offsets now, progress markers left out."""
        return [m for m in await self.read_all(topic) if not m.is_marker]

    async def markers(self, topic: str) -> list[tuple[int, Message]]:
        """The progress markers of the topic, with the partition each is on."""
        return [(m.partition, m) for m in await self.read_all(topic) if m.is_marker]

    async def read_all(self, topic: str) -> list[Message]:
        """Every message of the topic, up to its end offsets now."""
        consumer = safe_consumer(self.env["KAFKA_BOOTSTRAP_SERVERS"], None)
        await consumer.start()
        try:
            parts = [TopicPartition(topic, p) for p in await _partitions(consumer, topic)]
            consumer.assign(parts)
            await consumer.seek_to_beginning(*parts)
            end = await consumer.end_offsets(parts)
            out: list[Message] = []
            while any([await consumer.position(p) < end[p] for p in parts]):
                for records in (await consumer.getmany(timeout_ms=1000)).values():
                    out += [_message(r) for r in records]
            return out
        finally:
            await consumer.stop()


def _message(record: Any) -> Message:
    headers = {k: v.decode() for k, v in record.headers}
    return Message(record.key, record.value, headers, record.partition)


async def _partitions(consumer: Any, topic: str) -> set[int]:
    for _ in range(50):
        found = consumer.partitions_for_topic(topic)
        if found:
            return set(found)
        await consumer._client.force_metadata_update()
    raise LookupError(topic)


async def wait_until(check: Callable[[], Awaitable[bool]], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.1)
    raise TimeoutError(f"not within {timeout}s: {what}")


def by(messages: list[Message], field: Callable[[Message], str]) -> dict[str, list[Message]]:
    grouped: dict[str, list[Message]] = defaultdict(list)
    for message in messages:
        grouped[field(message)].append(message)
    return dict(grouped)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
