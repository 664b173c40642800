"""Group commit on a real PostgreSQL: outcomes that arrive together share a transaction,
each caller returns once its own is committed, and a bad item fails only its caller."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from benefits_shared.db.group_commit import GroupCommit
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker


def _table(schema: str) -> Table:
    return Table(
        "outcomes",
        MetaData(schema=schema),
        Column("item", String(16), primary_key=True),
        Column("txid", Integer, nullable=False),
    )


async def _ready(db_engine: AsyncEngine, schema: str) -> tuple[Table, GroupCommit[str]]:
    table = _table(schema)
    async with db_engine.begin() as conn:
        await conn.run_sync(table.metadata.create_all)

    async def write_all(s: AsyncSession, items: Sequence[str]) -> None:
        txid = (await s.execute(select(func.txid_current()))).scalar_one()
        await s.execute(table.insert(), [{"item": i, "txid": txid} for i in items])

    sessions = async_sessionmaker(db_engine, expire_on_commit=False)
    return table, GroupCommit(sessions, write_all)


async def _rows(db_engine: AsyncEngine, table: Table) -> dict[str, int]:
    async with db_engine.connect() as conn:
        return {r.item: r.txid for r in await conn.execute(select(table))}


async def test_outcomes_arriving_together_share_a_transaction(
    db_engine: AsyncEngine, fresh_schema: str
) -> None:
    table, commits = await _ready(db_engine, fresh_schema)
    items = [f"i{n}" for n in range(50)]

    await asyncio.gather(*(commits.write(i) for i in items))

    rows = await _rows(db_engine, table)
    assert sorted(rows) == sorted(items), "every caller's item committed once it returned"
    assert len(set(rows.values())) < len(items), "some items shared a transaction"
    assert commits.items == len(items) and commits.batches == len(set(rows.values()))
    assert commits.batches <= 2, "the first alone, the 49 queued meanwhile in the next"


async def test_a_bad_item_fails_its_caller_only(db_engine: AsyncEngine, fresh_schema: str) -> None:
    table, commits = await _ready(db_engine, fresh_schema)
    await commits.write("taken")

    writes = asyncio.gather(
        *(commits.write(i) for i in ["a", "b", "taken", "c"]), return_exceptions=True
    )
    outcomes = await asyncio.wait_for(writes, 30)  # every caller answered

    assert outcomes[:2] == [None, None] and outcomes[3] is None
    assert isinstance(outcomes[2], IntegrityError), "the duplicate's caller sees its error"
    assert sorted(await _rows(db_engine, table)) == ["a", "b", "c", "taken"]


async def test_a_caller_that_gave_up_before_its_batch_is_not_written(
    db_engine: AsyncEngine, fresh_schema: str
) -> None:
    table, commits = await _ready(db_engine, fresh_schema)
    first = asyncio.create_task(commits.write("first"))
    await asyncio.sleep(0)  # the writer starts on "first"
    gave_up = asyncio.create_task(commits.write("gave-up"))
    kept = asyncio.create_task(commits.write("kept"))
    await asyncio.sleep(0)  # both queued behind the batch being written
    gave_up.cancel()

    await first
    await kept
    with pytest.raises(asyncio.CancelledError):
        await gave_up
    assert sorted(await _rows(db_engine, table)) == ["first", "kept"]
