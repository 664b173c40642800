"""The gateway on real Kafka and PostgreSQL against the real bank simulator, each a process.

Fresh topics and schema per test; the simulator journals to a file in the test's folder.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from bank_gateway.bench_rig import Simulator, fresh_topics, start_simulator
from sqlalchemy.ext.asyncio import AsyncEngine

# The rig and the decision factory are modules beside this file.
sys.path.insert(0, str(Path(__file__).parent))

from gateway_rig import GatewayRig


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[Simulator]:
    bank = start_simulator(tmp_path, settlement_delay_seconds=0.3, timeout_hold_seconds=1)
    yield bank
    bank.stop()


@pytest_asyncio.fixture
async def rig(
    kafka_bootstrap: str,
    database_url: str,
    db_engine: AsyncEngine,
    fresh_schema: str,
    unique: str,
    simulator: Simulator,
    tmp_path: Path,
) -> AsyncIterator[GatewayRig]:
    async with fresh_topics(kafka_bootstrap, unique) as topics:
        log = tmp_path / "gateway.log"
        rig = GatewayRig(
            kafka_bootstrap, database_url, fresh_schema, topics, db_engine, simulator, log
        )
        yield rig
        rig.kill_all()
        if log.exists():
            print(log.read_text()[-20_000:])  # shown when the test fails
