"""Fixtures of the engine's integration tests (the rig lives in ``engine_rig``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from engine_rig import EngineRig, rig_on
from sqlalchemy.ext.asyncio import AsyncEngine


@pytest_asyncio.fixture
async def rig(
    kafka_bootstrap: str,
    database_url: str,
    db_engine: AsyncEngine,
    fresh_schema: str,
    unique: str,
) -> AsyncIterator[EngineRig]:
    async with rig_on(kafka_bootstrap, database_url, fresh_schema, unique, db_engine) as made:
        yield made
