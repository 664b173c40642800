"""Fixtures of the engine's integration tests (the rig lives in ``engine_rig``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from benefits_shared.db.migrations import migrate
from benefits_shared.kafka.admin import ensure_topics
from benefits_shared.topics import Topic
from engine_rig import ROLES, EngineRig
from sqlalchemy.ext.asyncio import AsyncEngine


@pytest_asyncio.fixture
async def rig(
    kafka_bootstrap: str,
    database_url: str,
    db_engine: AsyncEngine,
    fresh_schema: str,
    unique: str,
) -> AsyncIterator[EngineRig]:
    topics = {role: f"{role}-{unique}" for role in ROLES}
    await ensure_topics(
        kafka_bootstrap,
        [Topic(name, 3) for name in topics.values()]
        + [Topic(f"{name}.dlq", 3) for name in topics.values()],
    )
    await migrate(database_url, "eligibility_engine.migrations", fresh_schema)
    rig = EngineRig(
        kafka_bootstrap, database_url, fresh_schema, topics, f"engine-{unique}", db_engine
    )
    await rig.know_everything()
    yield rig
    for proc in rig.processes:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
