"""What the observer reads of the notifier's notices (the shared PostgreSQL, a schema of
the test's own): those held, and of them those already offered to the gateway (a retry
follows), which keep ``make run`` from counting as drained."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from devstack.namespace import Namespace
from devstack.observe import Observer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


@pytest_asyncio.fixture
async def notifier_schema(db_engine: AsyncEngine, unique: str) -> AsyncIterator[Namespace]:
    ns = Namespace(suffix=unique)
    schema = ns.name("notifier")
    async with db_engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        await conn.execute(
            text(f'CREATE TABLE "{schema}".notices (state varchar(16), attempts integer)')
        )
    yield ns
    async with db_engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


async def test_held_notices_and_those_in_retry_are_counted(
    db_engine: AsyncEngine, notifier_schema: Namespace, database_url: str
) -> None:
    rows = "('pending', 0), ('pending', 2), ('pending', 1), ('accepted', 1), ('parked', 5)"
    async with db_engine.begin() as conn:
        table = f'"{notifier_schema.name("notifier")}".notices'
        await conn.execute(text(f"INSERT INTO {table} VALUES {rows}"))
    observer = Observer("127.0.0.1:1", {}, notifier_schema, database_url)
    try:
        counted = (await observer.notices_not_handed_over(), await observer.notices_in_retry())
    finally:
        await observer.close()
    assert counted == (3, 2)


async def test_no_notices_table_yet_counts_none_held(database_url: str, unique: str) -> None:
    observer = Observer("127.0.0.1:1", {}, Namespace(suffix=unique), database_url)
    try:
        assert (await observer.notices_in_retry(), await observer.notices_not_handed_over()) == (
            0,
            0,
        )
    finally:
        await observer.close()
