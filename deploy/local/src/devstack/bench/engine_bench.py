"""The eligibility engine's throughput, replay speed and peak memory, beside the raw
consume-and-produce passthrough on the same topics in the same run."""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from time import monotonic
from typing import Any

import httpx
import psutil
from benefits_shared.clock import BAKU
from benefits_shared.contracts import Contract
from benefits_shared.contracts.life_events import BirthRegistered, Child
from benefits_shared.contracts.persons import PersonRecord
from benefits_shared.db.migrations import migrate
from benefits_shared.kafka.admin import delete_topics, ensure_topics
from benefits_shared.kafka.everything_known import announce_everything_known
from benefits_shared.local_ports import free_port
from benefits_shared.pin import PinHasher
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from benefits_shared.topics import Topic
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from devstack.bench.kafka_baseline import passthrough, produce_rate
from devstack.bench.measure import Figure, PeakMemory, wait_until

ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
Payload = tuple[bytes, bytes, list[tuple[str, bytes]]]


def synthetic_feed(families: int, seed: int = 1) -> tuple[list[Payload], list[Payload]]:
    """(persons, life events) of ``families`` mothers with 1–4 children each."""
    rng, hasher = random.Random(seed), PinHasher(DEV_PIN_HMAC_KEY)
    persons: list[Payload] = []
    births: list[Payload] = []
    seq = 0
    for _ in range(families):
        mother = "".join(rng.choice(ALPHABET) for _ in range(7))
        persons.append(
            _payload(
                PersonRecord(
                    pin=mother,
                    given_name="Leyla",
                    surname="Məmmədova",
                    birth_date=date(1990, 1, 1),
                    sex="F",
                    phone="+994501234567",
                ),
                mother,
                hasher,
            )
        )
        day = date(2023, 1, 1) + timedelta(days=rng.randint(0, 300))
        for _ in range(rng.randint(1, 4)):
            seq += 1
            child = "".join(rng.choice(ALPHABET) for _ in range(7))
            record = BirthRegistered(
                record_no=f"B-{seq:010d}",
                seq=seq,
                registered_at=datetime.combine(day, time(10), BAKU),
                office="Baku",
                child=Child(
                    pin=child, given_name="Aysel", surname="Məmmədova", birth_date=day, sex="F"
                ),
                mother_pin=mother,
            )
            births.append(_payload(record, child, hasher))
            day += timedelta(days=rng.randint(300, 700))
    return persons, births


def _payload(payload: Contract, pin: str, hasher: PinHasher) -> Payload:
    moment = getattr(payload, "registered_at", datetime(2026, 1, 1, tzinfo=BAKU))
    event = payload.to_cloudevent("/bench", moment, None)
    return hasher.kafka_key(pin), event.value(), event.headers()


async def engine_benchmark(
    bootstrap: str, database_url: str, families: int, instances: Sequence[int] = (1,)
) -> dict[str, Any]:
    """Deciding with each number of ``instances`` in one group (each from an empty
    schema), and replay with one instance after the first deciding run."""
    run = uuid.uuid4().hex[:8]
    roles = ("persons", "life-events", "clock-ticks", "payments", "benefit-decisions", "copy")
    topics = {r: f"bench-{r}-{run}" for r in roles}
    await ensure_topics(
        bootstrap,
        [Topic(n, 6) for n in topics.values()] + [Topic(f"{n}.dlq", 6) for n in topics.values()],
    )
    persons, births = synthetic_feed(families)
    total = len(persons) + len(births)
    print(f"  engine: {len(births):,} births and {len(persons):,} persons")
    producer_rate = await produce_rate(bootstrap, topics["persons"], persons)
    await produce_rate(bootstrap, topics["life-events"], births)
    await announce_everything_known(bootstrap, topics["persons"], topics["life-events"], 6)
    baseline = await passthrough(
        bootstrap, [topics["persons"], topics["life-events"]], topics["copy"], total
    )
    db = create_async_engine(database_url)
    deciding: dict[int, EngineRun] = {}
    decided: dict[int, str] = {}
    try:
        for count in instances:
            schema = f"bench_{run}_{count}"
            await migrate(database_url, "eligibility_engine.migrations", schema)
            try:
                env = _env(bootstrap, database_url, schema, topics, f"bench-engine-{run}-{count}")
                deciding[count] = await _run_engines(env, db, schema, total, count)
                decided[count] = await _decision_ids(db, schema)
                if count == instances[0]:
                    env["ENGINE_GROUP"] += "-replay"
                    replaying = await _run_engines(env, db, schema, total, 1, replay=True)
                    decisions = await _scalar(db, f'SELECT count(*) FROM "{schema}".decisions')
            finally:
                async with db.begin() as conn:
                    await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        await db.dispose()
        await delete_topics(bootstrap, topics.values(), dead_letters=True)
    first = deciding[instances[0]]
    rate = total / first.seconds
    figures = [
        Figure(
            "engine: events decided and committed",
            rate,
            "events/s",
            baseline,
            "aiokafka consume→produce passthrough, same topics",
        ),
        Figure(
            "engine: replay from offset 0 (nothing new decided)",
            total / replaying.seconds,
            "events/s",
            baseline,
            "the same passthrough",
        ),
    ]
    figures += [
        Figure(
            f"engine, {count} instances in one group: events decided and committed",
            total / deciding[count].seconds,
            "events/s",
            rate,
            "one instance, same events (ADR 8: one decide lock per schema)",
        )
        for count in instances[1:]
    ]
    figures.append(Figure("raw producer (acks=all, batched)", producer_rate, "records/s"))
    return {
        "figures": figures,
        "engine_peaks_mb": first.peaks_mb,
        "replay_peaks_mb": replaying.peaks_mb,
        "engine_startup_s": first.startup_s,
        "engine_cpu_ms_per_event": 1000 * first.cpu_s / total,
        "replay_cpu_ms_per_event": 1000 * replaying.cpu_s / total,
        "events": total,
        "decisions": decisions,
        "same_decisions": {c: decided[c] == decided[instances[0]] for c in instances[1:]},
    }


async def _decision_ids(db: AsyncEngine, schema: str) -> str:
    """A digest of every decision id (ids are content: the same decisions, the same ids)."""
    ids = "string_agg(decision_id, ',' ORDER BY decision_id)"
    sql = f"SELECT md5(coalesce({ids}, '')) FROM \"{schema}\".decisions"
    async with db.connect() as conn:
        return str((await conn.execute(text(sql))).scalar_one())


def _env(
    bootstrap: str, database_url: str, schema: str, topics: dict[str, str], group: str
) -> dict[str, str]:
    return {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "DATABASE_URL": database_url,
        "ENGINE_SCHEMA": schema,
        "ENGINE_GROUP": group,
        "LOG_LEVEL": "WARNING",
        "ENGINE_INPUT_TOPICS": json.dumps(
            [topics[r] for r in ("persons", "life-events", "clock-ticks", "payments")]
        ),
        "ENGINE_DECISIONS_TOPIC": topics["benefit-decisions"],
    }


@dataclass(frozen=True)
class EngineRun:
    seconds: float  # from ready to done
    startup_s: float  # from the process started to ready
    cpu_s: float  # CPU seconds the engine used from ready to done
    #: the peak resident memory once a quarter, half, three quarters and all of the events
    #: were in (all four the same if memory is flat in the number of events)
    peaks_mb: list[float]


async def _run_engines(
    env: dict[str, str],
    db: AsyncEngine,
    schema: str,
    total: int,
    count: int,
    replay: bool = False,
) -> EngineRun:
    """How long ``count`` engines in one group took from ready to done, and what they
    used (CPU summed, memory of the largest).

    Like the passthrough, whose clock starts once its clients are up, the clock starts
    when the first engine is ready (``/readyz``: migrated, connected, partitions
    assigned), counted from the last poll that found it not ready, never later: the figure is the
    engines' work, not the imports and group join before it (which the start-up figure
    reports on its own). Their CPU seconds over the same span say what the work costs
    whatever else the machine runs."""
    launched = monotonic()
    ports = [free_port() for _ in range(count)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "eligibility_engine"],
            env={**env, "HEALTH_PORT": str(port)},
            stdout=subprocess.DEVNULL,
        )
        for port in ports
    ]
    memory = [PeakMemory(proc.pid) for proc in procs]
    for m in memory:
        m.start()
    consumed = await _consumed_counter(env["KAFKA_BOOTSTRAP_SERVERS"], env["ENGINE_GROUP"])

    quarters: list[float] = []  # the peak so far, once each quarter of the events is in

    async def done() -> bool:
        if replay:
            seen = int(await consumed())
            finished = seen >= total
        else:
            seen = await _scalar(db, f'SELECT count(*) FROM "{schema}".inbox')
            pending = await _scalar(  # decisions to publish, or cases yet to decide
                db,
                f'SELECT (SELECT count(*) FROM "{schema}".outbox WHERE published_at IS NULL)'
                f' + (SELECT count(*) FROM "{schema}".pending_cases)',
            )
            finished = seen >= total and pending == 0
        while len(quarters) < 3 and 4 * seen >= (len(quarters) + 1) * total:
            quarters.append(max(m.peak_mb for m in memory))
        return finished

    cpu = [psutil.Process(proc.pid) for proc in procs]
    try:
        # the work starts when the first is ready; the others' joining is part of it
        clock = min(await asyncio.gather(*(_ready_since(p, launched, 600) for p in ports)))
        cpu_before = sum(map(_cpu_s, cpu))
        waited = monotonic()
        seconds = await wait_until(done, 3600, "replay" if replay else f"deciding ({count})")
        seconds += waited - clock
        cpu_s = sum(map(_cpu_s, cpu)) - cpu_before
        startup = clock - launched
    finally:
        for m in memory:
            m.stop()
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=60)
    peak = max(m.peak_mb for m in memory)
    return EngineRun(seconds, startup, cpu_s, [*quarters, *[peak] * (4 - len(quarters))])


def _cpu_s(process: psutil.Process) -> float:
    """CPU seconds (user and system) the process has used so far."""
    times = process.cpu_times()
    return float(times.user + times.system)


async def _ready_since(port: int, launched: float, timeout_s: float) -> float:
    """When the engine became ready, at the latest: the moment the last poll that found
    it not ready was sent (so the clock never starts after the engine did)."""
    not_ready = launched
    async with httpx.AsyncClient(timeout=2) as client:
        while monotonic() < launched + timeout_s:
            asked = monotonic()
            try:
                if (await client.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                    return not_ready
            except httpx.HTTPError:
                pass
            not_ready = asked
            await asyncio.sleep(0.05)
    raise TimeoutError(f"the engine not ready after {timeout_s:.0f}s")


async def _consumed_counter(bootstrap: str, group: str) -> Any:
    from aiokafka.admin import AIOKafkaAdminClient

    async def consumed() -> int:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            offsets = await admin.list_consumer_group_offsets(group)
        finally:
            await admin.close()
        return sum(o.offset for o in offsets.values() if o.offset > 0)

    return consumed


async def _scalar(db: AsyncEngine, sql: str) -> int:
    async with db.connect() as conn:
        return int((await conn.execute(text(sql))).scalar_one())
