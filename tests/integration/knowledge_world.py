"""A generated world run through the registry simulators, the connectors and the engine,
each its own process, in a namespace of its own: the rig of ``test_complete_knowledge``.

The population registry answers slowly (a low rate limit, 5xx) while the civil feed is
fast, so births reach the engine long before their mothers are copied: the situation in
which the engine used to pay the father (issue #10).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from benefits_shared.kafka.admin import ensure_topics
from benefits_shared.kafka.clients import safe_consumer
from benefits_shared.local_ports import free_port
from benefits_shared.pin import is_pin
from benefits_shared.topics import BENEFIT_DECISIONS, LIFE_EVENTS, PERSONS
from devstack.namespace import Namespace
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

PERSONS_IN_WORLD = int(os.environ.get("KNOWLEDGE_TEST_PERSONS", "20000"))
#: The population registry: one request a second, one in six a 503.
SLOW_POPULATION = {"POPULATION_SIM_RATE_LIMIT": "1", "POPULATION_SIM_SERVER_ERROR_RATE": "0.15"}


def generate(out: Path, seed: int = 3) -> Path:
    """A year of records of ``PERSONS_IN_WORLD`` residents, three years of history."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "registry_simulators.population",
            *("--persons", str(PERSONS_IN_WORLD), "--seed", str(seed)),
            *("--start", "2025-11-01", "--days", "365", "--history-years", "3"),
            *("--out", str(out)),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out


def shuffle_feed(world: Path, seed: int) -> None:
    """The civil feed in another order: the same records, renumbered as they now come."""
    path = world / "civil_registry.jsonl"
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    random.Random(seed).shuffle(records)
    for n, record in enumerate(records, start=1):
        record["seq"] = n
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


@dataclass
class Truth:
    """What the registries hold, read from the dataset's files (never from our copy)."""

    deaths: dict[str, date | None] = field(default_factory=dict)  # every PIN the registry has
    feed: list[dict[str, Any]] = field(default_factory=list)
    malformed: set[str] = field(default_factory=set)  # record numbers of damaged records

    @classmethod
    def read(cls, world: Path) -> Truth:
        truth = cls()
        for name in ("population.jsonl", "population_changes.jsonl"):
            for line in (world / name).read_text().splitlines():
                item = json.loads(line)
                person = item.get("person", item)
                died = person.get("date_of_death")
                truth.deaths[person["pin"]] = date.fromisoformat(died) if died else None
        for line in (world / "civil_registry.jsonl").read_text().splitlines():
            truth.feed.append(json.loads(line))
        for line in (world / "truth.jsonl").read_text().splitlines():
            row = json.loads(line)
            if row["source"] == "civil" and not row["valid"]:
                truth.malformed.add(row["record_no"])
        return truth

    def can_receive(self, pin: str | None, on: date) -> bool:
        """Has a PIN, is in the population registry, and is alive on ``on``."""
        if not pin or not is_pin(pin) or pin not in self.deaths:
            return False
        died = self.deaths[pin]
        return died is None or died > on

    def decided_once(self) -> set[str]:
        """Birth records whose grant nothing later should change: no record of the family
        damaged, amended or re-sent, no parent who dies, every older sibling earlier in the
        feed."""
        births = [
            r for r in self.feed if r.get("kind") == "BIRTH" and isinstance(r.get("child"), dict)
        ]
        family: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for b in births:
            for parent in (b.get("mother_pin"), b.get("father_pin")):
                if parent:
                    family[parent].append(b)
        amended = {r.get("cancels") or r.get("corrects") for r in self.feed}
        numbers = [r.get("record_no") for r in self.feed]
        sent_twice = {n for n in numbers if numbers.count(n) > 1}
        dead = {p for p, died in self.deaths.items() if died} | {
            r.get("deceased_pin") for r in self.feed if r.get("kind") == "DEATH"
        }
        doubtful = amended | sent_twice | self.malformed
        once = set()
        for b in births:
            parents = [p for p in (b.get("mother_pin"), b.get("father_pin")) if p]
            kin = [k for p in parents for k in family[p]]
            if any(k["record_no"] in doubtful for k in kin) or dead & set(parents):
                continue
            older = [k for k in kin if _order(k) < _order(b)]
            if all(k["seq"] < b["seq"] for k in older):
                once.add(b["record_no"])
        return once


def _order(birth: dict[str, Any]) -> tuple[str, str]:
    return (str(birth["child"].get("birth_date")), str(birth["record_no"]))


@dataclass
class Stack:
    kafka: str
    database_url: str
    world: Path
    logs: Path
    ns: Namespace
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, name: str, module: str, env: dict[str, str]) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        full = {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka,
            "DATABASE_URL": self.database_url,
            "LOG_LEVEL": "WARNING",
            **env,
        }
        proc = subprocess.Popen([sys.executable, "-m", module], env=full, stdout=log, stderr=log)
        self.processes.append(proc)

    def stop(self) -> None:
        for proc in self.processes:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


@contextmanager
def stack(kafka: str, database_url: str, world: Path, suffix: str) -> Iterator[Stack]:
    logs = world.parent / f"logs-{suffix}"
    logs.mkdir(exist_ok=True)
    running = Stack(kafka, database_url, world, logs, Namespace(suffix=suffix))
    try:
        yield running
    finally:
        running.stop()


@dataclass(frozen=True)
class Engine:
    """What to watch of an engine: its schema and group, the topics it reads (with their
    partition counts), the topic it decides on."""

    schema: str
    group: str
    reads: tuple[tuple[str, int], ...]
    decisions: str

    @classmethod
    def of(cls, ns: Namespace) -> Engine:
        reads = tuple((ns.topic(t), t.partitions) for t in (LIFE_EVENTS, PERSONS))
        return cls(ns.name("engine"), ns.group("engine"), reads, ns.topic(BENEFIT_DECISIONS))


@dataclass
class Run:
    decisions: list[dict[str, Any]]  # every decision published, in order
    most_held: int  # the most cases held at once, seen while draining


async def run_world(s: Stack, engines: int) -> Run:
    """Simulators, the clock ticker, connectors and ``engines`` engine processes until
    every record is decided."""
    await ensure_topics(s.kafka, s.ns.topics())
    civil, population = free_port(), free_port()
    s.start(
        "registry-simulators",
        "registry_simulators",
        {
            "REGISTRY_SIM_DATA_DIR": str(s.world),
            "REGISTRY_SIM_SEED": "1",
            "CIVIL_SIM_PORT": str(civil),
            "POPULATION_SIM_PORT": str(population),
            **SLOW_POPULATION,
        },
    )
    await _healthy(civil)
    await _healthy(population)
    names = s.ns.service_env()
    s.start("clock-ticker", "clock_ticker", names["clock-ticker"])  # today, as in production
    s.start(
        "connectors",
        "registry_connectors",
        {
            **names["connectors"],
            "CIVIL_REGISTRY_URL": f"http://127.0.0.1:{civil}",
            "POPULATION_REGISTRY_URL": f"http://127.0.0.1:{population}",
            "BACKOFF_MAX_SECONDS": "2",
        },
    )
    for n in range(engines):
        s.start(f"engine-{n}", "eligibility_engine", names["engine"])
    return await decided(s, Engine.of(s.ns))


async def decided(s: Stack, engine: Engine, timeout: float = 480) -> Run:
    """``engine``'s decisions once it has drained, and the most cases it held meanwhile."""
    most_held = await _drained(s, engine, timeout)
    return Run(await _published(s.kafka, engine.decisions), most_held)


async def _healthy(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(f"http://127.0.0.1:{port}/_sim/health")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.3)
    raise TimeoutError(f"simulator on {port} did not start")


async def _drained(s: Stack, engine: Engine, timeout: float) -> int:
    """Until the civil feed is read to its end, the population copy is complete, the engine
    has no lag, holds no case and has published every decision, twice in a row; the most
    cases it held at once, as seen every two seconds."""
    last_seq = max(int(r["seq"]) for r in Truth.read(s.world).feed)
    db = create_async_engine(s.database_url)
    engine_schema, connectors_schema = engine.schema, s.ns.name("connectors")
    quiet = most_held = 0
    deadline = time.monotonic() + timeout
    try:
        while quiet < 2:
            if time.monotonic() > deadline:
                raise TimeoutError(f"not drained; see the logs in {s.logs}")
            await asyncio.sleep(2)
            try:
                async with db.connect() as conn:
                    state = (
                        await conn.execute(
                            text(
                                f'SELECT (SELECT count(*) FROM "{engine_schema}".pending_cases),'
                                f' (SELECT count(*) FROM "{engine_schema}".outbox'
                                "  WHERE published_at IS NULL),"
                                f' (SELECT count(*) FROM "{engine_schema}".knowledge'
                                "  WHERE source = 'population'),"
                                f' (SELECT seq FROM "{connectors_schema}".checkpoints'
                                "  WHERE name = 'civil-registry')"
                            )
                        )
                    ).one()
            except Exception:  # the schemas are made by the processes as they start
                quiet = 0
                continue
            most_held = max(most_held, state[0])
            lag = await _lag(s.kafka, engine)
            done = state[0] == 0 and state[1] == 0 and state[2] > 0 and (state[3] or 0) >= last_seq
            quiet = quiet + 1 if done and lag == 0 else 0
    finally:
        await db.dispose()
    return most_held


async def _lag(kafka: str, engine: Engine) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        committed = await admin.list_consumer_group_offsets(engine.group)
    finally:
        await admin.close()
    reader = safe_consumer(kafka, None)
    await reader.start()
    try:
        parts = [TopicPartition(t, p) for t, n in engine.reads for p in range(n)]
        ends = await reader.end_offsets(parts)
    finally:
        await reader.stop()
    return sum(end - (committed[tp].offset if tp in committed else 0) for tp, end in ends.items())


async def _published(kafka: str, topic: str) -> list[dict[str, Any]]:
    reader = safe_consumer(kafka, None, topic)
    await reader.start()
    out: list[dict[str, Any]] = []
    try:
        while batch := await reader.getmany(timeout_ms=3000):
            for records in batch.values():
                out.extend(json.loads(r.value) for r in records)
    finally:
        await reader.stop()
    return out
