"""No service's schema keeps an index that another index of the same table already serves.

A plain (not unique, not partial, not on an expression) index whose columns are the
leading columns of another plain index costs an entry on every row written and answers
nothing the other does not (issue #12). Checked on each service's schema as its
migrations leave it; for the two services whose later revision dropped such an index,
also that the schema from before had it (so the check finds what it looks for) and that
the upgrade leaves none.
"""

from __future__ import annotations

import pytest
from benefits_shared.db.migrations import downgrade, migrate
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

#: Pairs (index, the index that serves it) in ``:schema``, by column position.
COVERED = text(
    """
    WITH idx AS (
        SELECT x.indrelid AS tbl, i.relname AS name, x.indisunique AS is_unique,
               string_to_array(x.indkey::text, ' ') AS cols,
               x.indpred IS NOT NULL OR x.indexprs IS NOT NULL AS special
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = :schema
    )
    SELECT a.name, b.name
    FROM idx a JOIN idx b ON a.tbl = b.tbl AND a.name <> b.name
    WHERE NOT a.is_unique AND NOT a.special AND NOT b.special
      AND a.cols = b.cols[1:cardinality(a.cols)]
    ORDER BY 1, 2
    """
)


async def _covered(engine: AsyncEngine, schema: str) -> list[tuple[str, str]]:
    async with engine.connect() as conn:
        rows = await conn.execute(COVERED, {"schema": schema})
        return [(str(a), str(b)) for a, b in rows]


@pytest.mark.parametrize(
    "migrations",
    [
        "eligibility_engine.migrations",
        "bank_gateway.migrations",
        "notifier.migrations",
        "registry_connectors.migrations",
        "benefits_ops.migrations",
    ],
)
async def test_no_index_is_served_by_another_of_its_table(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str, migrations: str
) -> None:
    await migrate(database_url, migrations, fresh_schema)
    assert await _covered(db_engine, fresh_schema) == []


@pytest.mark.parametrize(
    ("migrations", "before", "dropped"),
    [
        ("eligibility_engine.migrations", "0008", ("decisions_case_id", "decisions_case_position")),
        ("notifier.migrations", "0006", ("delivery_reports_message_id", "delivery_reports_once")),
    ],
)
async def test_an_older_schema_loses_its_served_index_and_gets_it_back_going_down(
    database_url: str,
    db_engine: AsyncEngine,
    fresh_schema: str,
    migrations: str,
    before: str,
    dropped: tuple[str, str],
) -> None:
    index, serving = dropped
    had = [(f"ix_{fresh_schema}_{index}", serving)]
    await migrate(database_url, migrations, fresh_schema)
    await downgrade(database_url, migrations, fresh_schema, before)  # a schema from before
    assert await _covered(db_engine, fresh_schema) == had
    await migrate(database_url, migrations, fresh_schema)
    assert await _covered(db_engine, fresh_schema) == []
    await migrate(database_url, migrations, fresh_schema)  # again: nothing to do
    assert await _covered(db_engine, fresh_schema) == []
