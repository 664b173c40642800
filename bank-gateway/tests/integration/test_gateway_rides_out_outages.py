"""The gateway process rides out a PostgreSQL crash and a SIGKILL of the broker while
payments are in flight at the bank, on a stack of the test's own (ADR 0021): no restart by
hand, every payment credited once, one log line per outage each way (the issue saw 2,980
in 30 s), ``/readyz`` naming what is away."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
from bank_gateway.bench_rig import Simulator, create_topics, start_gateway
from benefits_shared.local_ports import free_port
from benefits_shared.testing import terminate
from gateway_decisions import grant
from gateway_rig import GatewayRig, of_type
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

MOTHERS = range(100, 140)


@pytest_asyncio.fixture
async def gateway_on_own_stack(
    own_stack: OwnStack, simulator: Simulator, tmp_path: Path
) -> AsyncIterator[GatewayRig]:
    unique = uuid.uuid4().hex[:8]
    topics = await create_topics(own_stack.bootstrap, unique)  # its broker goes with it
    engine = create_async_engine(own_stack.database_url, pool_pre_ping=True)
    rig = GatewayRig(
        own_stack.bootstrap,
        own_stack.database_url,
        f"gateway_{unique}",
        topics,
        engine,
        simulator,
        tmp_path / "gateway.log",
    )
    yield rig
    rig.kill_all()
    await engine.dispose()


async def test_the_gateway_rides_out_a_database_crash_and_a_broker_kill(
    own_stack: OwnStack, gateway_on_own_stack: GatewayRig, simulator: Simulator
) -> None:
    rig, port = gateway_on_own_stack, free_port()
    assert rig.log is not None
    simulator.faults(settlement_delay_seconds=1.0)
    gateway = start_gateway({**rig.env(), "HEALTH_PORT": str(port)}, log=rig.log)
    rig.processes.append(gateway)
    await rig.started(lives=1)
    await rig.decide(*[grant(n, person=m, amount="250.00") for n, m in enumerate(MOTHERS)])
    await rig.wait_for(lambda: _some_paid(rig), timeout=120, what="payments at the bank")

    await own_stack.both_away_then_back(port)  # accounts and payments in flight at the bank
    expected = len(MOTHERS)
    await rig.wait_for(lambda: rig.settled_is(expected), timeout=240, what="all settled")
    await rig.wait_for(rig.quiet, timeout=120, what="quiet")

    assert gateway.poll() is None, "the gateway ended"
    await until("ready again", lambda: is_ready(port), timeout=60)
    assert terminate(gateway) == 0
    credits = simulator.credits()
    assert len(credits) == expected
    assert Counter(c["end_to_end_id"] for c in credits).most_common(1)[0][1] == 1
    events = await rig.on_payments_topic(expected)
    assert [i for i, n in Counter(e["ce_id"] for e in events).items() if n > 1] == []
    assert len(of_type(events, "payment-settled")) == expected

    assert state_changes(rig.log) == BOTH_WENT_AND_CAME_BACK
    loud = loud_lines(rig.log)
    assert len(loud) < 10, loud  # the state changes, not a line per attempt or per call


async def _some_paid(rig: GatewayRig) -> bool:
    return await rig.count("payments") > 0
