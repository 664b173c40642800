"""The ops service started once per module over its own topics and schema."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
from ops_rig import OpsRig
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def rig(
    kafka_bootstrap: str, database_url: str, tmp_path_factory: object
) -> AsyncIterator[OpsRig]:
    import uuid

    suffix = uuid.uuid4().hex[:10]
    log = Path(str(tmp_path_factory.mktemp("ops"))) / "ops.log"  # type: ignore[attr-defined]
    started = OpsRig(kafka_bootstrap, database_url, suffix, log)
    try:
        await started.start()
        yield started
    finally:
        started.stop()
        from sqlalchemy.ext.asyncio import create_async_engine

        engine: AsyncEngine = create_async_engine(database_url)
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{started.schema}" CASCADE'))
        await engine.dispose()
