"""The engine process rides out a PostgreSQL crash and a SIGKILL of the broker, with a
population in flight, on a stack of the test's own (ADR 0021): no restart by hand, every
case decided once, one log line per outage each way, ``/readyz`` naming what is away."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
from benefits_shared.local_ports import free_port
from benefits_shared.testing import terminate
from engine_population import check, expected, generate
from engine_rig import EngineRig, final_decisions, rig_on
from own_stack import (
    BOTH_WENT_AND_CAME_BACK,
    OwnStack,
    is_ready,
    loud_lines,
    own_stack,
    state_changes,
    until,
)
from sqlalchemy.ext.asyncio import create_async_engine

__all__ = ["own_stack"]  # the fixture, for pytest


@pytest_asyncio.fixture
async def rig_on_own_stack(own_stack: OwnStack) -> AsyncIterator[EngineRig]:
    unique = uuid.uuid4().hex[:8]
    engine = create_async_engine(own_stack.database_url, pool_pre_ping=True)
    bootstrap, url = own_stack.bootstrap, own_stack.database_url
    async with rig_on(bootstrap, url, f"engine_{unique}", unique, engine) as rig:
        yield rig
    await engine.dispose()


async def test_the_engine_rides_out_a_database_crash_and_a_broker_kill(
    own_stack: OwnStack, rig_on_own_stack: EngineRig, tmp_path: Path
) -> None:
    rig, log, port = rig_on_own_stack, tmp_path / "engine.log", free_port()
    world = generate(seed=17, families=60)
    engine = rig.start({"HEALTH_PORT": str(port), "LOG_LEVEL": "INFO"}, log)
    await until("the engine is ready", lambda: is_ready(port))

    # The population is consumed while the database is away: work in flight.
    await own_stack.both_away_then_back(port, lambda: rig.publish(world.feed))
    await rig.wait_idle(timeout=300)

    assert engine.poll() is None, "the engine ended"
    # Caught up can come a moment before the tracker calls Kafka back (an answer within
    # SETTLE_S of the last failure does not count; the watch asks again every second).
    await until("ready again", lambda: is_ready(port), timeout=60)
    assert terminate(engine) == 0
    assert check(expected(world), await final_decisions(rig)) == []
    on_topic = await rig.decisions_on_topic()
    assert [i for i, n in Counter(d["ce_id"] for d in on_topic).items() if n > 1] == []
    assert len(on_topic) == await rig.scalar("SELECT count(*) FROM {s}.decisions")

    assert state_changes(log) == BOTH_WENT_AND_CAME_BACK
    loud = loud_lines(log)
    assert len(loud) < 10, loud  # the state changes and a lead lost, not a line per attempt
