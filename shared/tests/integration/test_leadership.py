"""One leader per name on real PostgreSQL: a second instance waits as a standby, takes the
lead once the leader releases it or its session dies, and the old leader knows it lost."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from benefits_shared.db.leadership import Leadership
from benefits_shared.db.sessions import make_engine
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

KILL = text(
    "SELECT pg_terminate_backend(pid) FROM pg_locks "
    "WHERE locktype = 'advisory' AND granted AND objid = "
    "(hashtextextended(:name, 0) & 4294967295)::oid"
)


@pytest_asyncio.fixture
async def engines(database_url: str) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    first, second = make_engine(database_url), make_engine(database_url)
    yield first, second
    await first.dispose()
    await second.dispose()


async def test_one_leads_the_other_waits_and_takes_over_on_release(
    engines: tuple[AsyncEngine, AsyncEngine], unique: str
) -> None:
    leader, standby = (Leadership(e, f"test:{unique}") for e in engines)
    assert await leader.lead()
    assert await leader.lead()  # still held, on the same connection
    assert not await standby.lead()
    await leader.release()
    assert await standby.lead()
    assert not await leader.lead()
    await standby.release()


async def test_a_leader_whose_session_dies_loses_the_lead_to_the_standby(
    engines: tuple[AsyncEngine, AsyncEngine], unique: str
) -> None:
    name = f"test:{unique}"
    leader, standby = (Leadership(e, name) for e in engines)
    assert await leader.lead()
    async with engines[1].connect() as admin:
        killed = (await admin.execute(KILL, {"name": name})).scalars().all()
        await admin.commit()
    assert killed == [True]
    assert await standby.lead()
    assert not await leader.lead()  # its check fails: it knows it lost, and the lock is taken
    await standby.release()
    assert await leader.lead()
    await leader.release()
