"""The engine process rides out a PostgreSQL crash and a SIGKILL of the broker, with a
population in flight, on a stack of the test's own (ADR 0021): no restart by hand, every
case decided once, one log line per outage each way, ``/readyz`` naming what is away."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest_asyncio
from benefits_shared.db.migrations import migrate
from benefits_shared.kafka.admin import ensure_topics
from benefits_shared.local_ports import free_port
from benefits_shared.testing import terminate
from benefits_shared.topics import Topic
from engine_population import check, expected, generate
from engine_rig import ROLES, EngineRig, final_decisions
from own_stack import OwnStack, log_lines, outage_lines, own_stack, readiness, reports_away, until
from sqlalchemy.ext.asyncio import create_async_engine

__all__ = ["own_stack"]  # the fixture, for pytest


@pytest_asyncio.fixture
async def rig_on_own_stack(own_stack: OwnStack) -> AsyncIterator[EngineRig]:
    unique = uuid.uuid4().hex[:8]
    topics = {role: f"{role}-{unique}" for role in ROLES}
    await ensure_topics(
        own_stack.bootstrap,
        [Topic(name, 3) for name in topics.values()]
        + [Topic(f"{name}.dlq", 3) for name in topics.values()],
    )
    schema = f"engine_{unique}"
    await migrate(own_stack.database_url, "eligibility_engine.migrations", schema)
    engine = create_async_engine(own_stack.database_url, pool_pre_ping=True)
    rig = EngineRig(
        own_stack.bootstrap, own_stack.database_url, schema, topics, f"engine-{unique}", engine
    )
    await rig.know_everything()
    yield rig
    for proc in rig.processes:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    await engine.dispose()


def start_logged(rig: EngineRig, log: Path, health_port: int) -> subprocess.Popen[bytes]:
    env = {**rig.env(), "HEALTH_PORT": str(health_port), "LOG_LEVEL": "INFO"}
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "eligibility_engine"], env=env, stderr=out)
    rig.processes.append(proc)
    return proc


async def test_the_engine_rides_out_a_database_crash_and_a_broker_kill(
    own_stack: OwnStack, rig_on_own_stack: EngineRig, tmp_path: Path
) -> None:
    rig, log, port = rig_on_own_stack, tmp_path / "engine.log", free_port()
    world = generate(seed=17, families=60)
    engine = start_logged(rig, log, port)
    await until("the engine is ready", lambda: _ready(port))

    own_stack.crash_postgres()
    await until("/readyz names PostgreSQL", lambda: reports_away(port, "postgresql"))
    await rig.publish(world.feed)  # consumed while the database is away: work in flight
    await asyncio.sleep(3)  # a few of the engine's attempts fail (no timing is asserted)
    own_stack.kill_kafka()
    await until("/readyz names Kafka", lambda: reports_away(port, "kafka"))
    await own_stack.start_postgres()  # decisions are written; the relay cannot publish
    await until("PostgreSQL answers again", lambda: _not_away(port, "postgresql"))
    await own_stack.start_kafka()
    await rig.wait_idle(timeout=300)

    assert engine.poll() is None, "the engine ended"
    assert (await readiness(port))["status"] == "ready"
    assert terminate(engine) == 0
    assert check(expected(world), await final_decisions(rig)) == []
    on_topic = await rig.decisions_on_topic()
    assert [i for i, n in Counter(d["ce_id"] for d in on_topic).items() if n > 1] == []
    assert len(on_topic) == await rig.scalar("SELECT count(*) FROM {s}.decisions")

    changes = [line.split(" since ")[0].split(" after ")[0] for line in outage_lines(log)]
    assert sorted(changes) == sorted(
        [
            "postgresql unreachable",
            "postgresql answers again",
            "kafka unreachable",
            "kafka answers again",
        ]
    )
    loud = [x for x in log_lines(log) if x.get("level") in ("warning", "error") or "raw" in x]
    assert len(loud) < 10, loud  # the state changes and a lead lost, not a line per attempt


async def _ready(port: int) -> bool:
    try:
        return (await readiness(port))["status"] == "ready"
    except httpx.HTTPError:
        return False  # not listening yet


async def _not_away(port: int, dependency: str) -> bool:
    return not await reports_away(port, dependency)
