"""``walk_indexes`` on a real PostgreSQL: a generic plan made while the tables were empty
is not what a claim runs once they have grown (the gateway's cut of payments, ADR 27)."""

from __future__ import annotations

import json
from typing import Any

from benefits_shared.db.partial_indexes import walk_indexes
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

PERSONS, PAYABLE_EVERY = 2000, 50  # 2,000 unsent payments, 40 payees whose account is open


def _cut(schema: str) -> str:
    """The shape of the gateway's cut: unsent payments whose payees' accounts are open."""
    return (
        f'PREPARE cut(text, int) AS SELECT p.id FROM "{schema}".payments p '
        f'JOIN "{schema}".accounts a ON a.person = p.person '
        "WHERE p.sent IS NULL AND a.payable > 0 AND a.state = $1 "
        "ORDER BY p.id LIMIT $2 FOR UPDATE OF p SKIP LOCKED"
    )


async def _tables(conn: AsyncConnection, schema: str) -> None:
    for ddl in (
        f'CREATE TABLE "{schema}".accounts (person text PRIMARY KEY, state text NOT NULL, '
        "payable int NOT NULL)",
        f'CREATE INDEX ON "{schema}".accounts (person) WHERE payable > 0',
        f'CREATE TABLE "{schema}".payments (id text PRIMARY KEY, person text NOT NULL, sent text)',
        f'CREATE INDEX ON "{schema}".payments (person) WHERE sent IS NULL',
    ):
        await conn.execute(text(ddl))


async def _fill(conn: AsyncConnection, schema: str) -> None:
    await conn.execute(
        text(
            f"INSERT INTO \"{schema}\".accounts SELECT 'k' || i, "
            f"CASE WHEN i % {PAYABLE_EVERY} = 0 THEN 'open' ELSE 'requested' END, "
            f"CASE WHEN i % {PAYABLE_EVERY} = 0 THEN 1 ELSE 0 END "
            f"FROM generate_series(1, {PERSONS}) i"
        )
    )
    await conn.execute(
        text(
            f"INSERT INTO \"{schema}\".payments SELECT 'p' || i, 'k' || i, NULL "
            f"FROM generate_series(1, {PERSONS}) i"
        )
    )


def _rows_read(node: dict[str, Any]) -> int:
    """Rows every node of a plan produced or removed, over all its loops."""
    own = (node["Actual Rows"] + node.get("Rows Removed by Join Filter", 0)) * node["Actual Loops"]
    return int(own) + sum(_rows_read(child) for child in node.get("Plans", []))


async def _explain(conn: AsyncConnection, analyze: bool) -> dict[str, Any]:
    how = "ANALYZE, FORMAT JSON" if analyze else "FORMAT JSON"
    out = (await conn.execute(text(f"EXPLAIN ({how}) EXECUTE cut('open', 500)"))).scalar_one()
    plan: dict[str, Any] = (json.loads(out) if isinstance(out, str) else out)[0]["Plan"]
    return plan


async def test_a_claim_does_not_run_the_generic_plan_made_while_its_tables_were_empty(
    db_engine: AsyncEngine, fresh_schema: str
) -> None:
    async with db_engine.connect() as conn:
        await _tables(conn, fresh_schema)
        await conn.commit()
        await conn.execute(text(_cut(fresh_schema)))
        for _ in range(6):  # after five runs PostgreSQL keeps a generic plan
            await conn.execute(text("EXECUTE cut('open', 500)"))
        await conn.commit()
        await _fill(conn, fresh_schema)
        await conn.commit()
        generic = await _explain(conn, analyze=False)
        await conn.rollback()
        async with AsyncSession(bind=conn) as s, s.begin():
            await walk_indexes(s)
            plan = await _explain(await s.connection(), analyze=True)

    assert "$1" in json.dumps(generic)  # the plan of the empty tables is kept: the trap
    assert "$1" not in json.dumps(plan)  # planned for this run
    assert plan["Actual Rows"] == PERSONS // PAYABLE_EVERY
    # planned for the tables as they are: about one look per unsent payment or per payable
    # account, not one whole pass over the payable accounts per unsent payment (80,000)
    assert _rows_read(plan) < 5 * PERSONS
