"""A service's engine replaces a pooled connection the server closed before using it,
without asking the server on every checkout (no pre-ping)."""

from __future__ import annotations

import asyncio

from benefits_shared.db.sessions import make_engine
from benefits_shared.testing import statements
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


async def test_a_pooled_connection_the_server_closed_is_replaced_before_use(
    database_url: str, db_engine: AsyncEngine
) -> None:
    engine = make_engine(database_url, pool_size=1)
    try:
        with statements(engine) as seen:
            async with engine.connect() as conn:
                first = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            async with db_engine.connect() as other:
                await other.execute(text("SELECT pg_terminate_backend(:p)"), {"p": first})
            await asyncio.sleep(0.5)  # the server's close reaches the pooled connection

            async with engine.connect() as conn:
                second = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()

        assert second != first, "a new connection, and the statement did not fail"
        assert seen == ["SELECT pg_backend_pid()"] * 2, "no ping statement before either"
    finally:
        await engine.dispose()
