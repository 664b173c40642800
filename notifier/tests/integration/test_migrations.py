"""The notifier's schema goes up, down and up again; 0004 gives the notices recorded before
it the trace context their decision was consumed in, from the inbox that kept it."""

from __future__ import annotations

from benefits_shared.contracts.decisions import decision_event_id
from benefits_shared.db.migrations import downgrade, migrate
from benefits_shared.testing import schema_tables
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = "notifier.migrations"
TRACED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def _insert_notice(engine: AsyncEngine, schema: str, n: int) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            text(
                f'INSERT INTO "{schema}".notices (notice_id, decision_id, kind, language,'
                " decision, state, send_after, idempotency_key)"
                " VALUES (:id, :d, 'B1_ASSIGNED', 'az', '{}', 'pending', now(), :id)"
            ),
            {"id": f"notice-{n}", "d": f"decision-{n}"},
        )


async def _traces(engine: AsyncEngine, schema: str) -> dict[str, str | None]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(f'SELECT notice_id, traceparent FROM "{schema}".notices ORDER BY notice_id')
        )
        return {str(n): t for n, t in rows}


async def test_0004_gives_older_notices_their_decisions_trace_and_goes_down_again(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    await migrate(database_url, MIGRATIONS, fresh_schema)
    await downgrade(database_url, MIGRATIONS, fresh_schema, "0003")  # as a schema made before
    for n in (1, 2):
        await _insert_notice(db_engine, fresh_schema, n)
    async with db_engine.begin() as conn:  # decision 1 was consumed in a trace, 2 was not
        await conn.execute(
            text(f'INSERT INTO "{fresh_schema}".inbox (event_id, traceparent) VALUES (:e, :t)'),
            {"e": decision_event_id("decision-1"), "t": TRACED},
        )
        await conn.execute(
            text(f'INSERT INTO "{fresh_schema}".inbox (event_id) VALUES (:e)'),
            {"e": decision_event_id("decision-2")},
        )
    await migrate(database_url, MIGRATIONS, fresh_schema)
    assert await _traces(db_engine, fresh_schema) == {"notice-1": TRACED, "notice-2": None}
    await migrate(database_url, MIGRATIONS, fresh_schema)  # again: nothing to do
    await downgrade(database_url, MIGRATIONS, fresh_schema)
    assert await schema_tables(db_engine, fresh_schema) == {"alembic_version"}
