"""Fixtures of the notifier's integration tests: fresh topics and schema, the SMS-gateway
simulator and the notifier each run as their own process (the rig lives in
``notifier_rig``, which this folder puts on the import path)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine

sys.path.insert(0, str(Path(__file__).parent))

from benefits_shared.kafka.admin import ensure_topics
from benefits_shared.local_ports import free_port
from benefits_shared.topics import Topic
from notifier_rig import ROLES, NotifierRig, SmsSimulator


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[SmsSimulator]:
    sim = SmsSimulator(free_port(), tmp_path / "sms-journal.jsonl")
    sim.start()
    yield sim
    sim.stop()


@pytest_asyncio.fixture
async def rig(
    kafka_bootstrap: str,
    database_url: str,
    db_engine: AsyncEngine,
    fresh_schema: str,
    unique: str,
    simulator: SmsSimulator,
) -> AsyncIterator[NotifierRig]:
    topics = {role: f"{role}-{unique}" for role in ROLES}
    await ensure_topics(
        kafka_bootstrap,
        [Topic(name, 3) for name in topics.values()]
        + [Topic(f"{name}.dlq", 3) for name in topics.values()],
    )
    rig = NotifierRig(
        kafka_bootstrap,
        database_url,
        fresh_schema,
        topics,
        f"notifier-{unique}",
        db_engine,
        simulator,
        free_port(),
    )
    yield rig
    rig.stop_all()
