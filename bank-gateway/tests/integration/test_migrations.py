"""The gateway's schema goes up, down and up again; 0002 and 0003 bring a schema made before
them (no ``owed_to_estate``, no ``recoveries.payment_id``, no ``cases.payee_died_on``, no
one-grant index) to what the code needs, and does nothing on a schema that has it."""

from bank_gateway.bootstrap import MIGRATIONS
from benefits_shared.db.migrations import downgrade, migrate
from benefits_shared.testing import schema_tables
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

NEW = {
    "owed_to_estate",
    "owed_to_estate.payment_id",
    "recoveries.payment_id",
    "cases.payee_died_on",
    "payments_one_grant",
}


async def _added_by_0002(engine: AsyncEngine, schema: str) -> set[str]:
    async with engine.connect() as conn:
        columns = await conn.execute(
            text(
                "SELECT table_name || '.' || column_name FROM information_schema.columns"
                " WHERE table_schema = :s"
            ),
            {"s": schema},
        )
        tables = await conn.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
            {"s": schema},
        )
        indexes = await conn.execute(
            text("SELECT indexname FROM pg_indexes WHERE schemaname = :s"), {"s": schema}
        )
        found = {r[0] for r in columns} | {r[0] for r in tables} | {r[0] for r in indexes}
    return found & NEW


async def test_0002_brings_an_older_schema_up_and_goes_down_again(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    await migrate(database_url, MIGRATIONS, fresh_schema)
    assert await _added_by_0002(db_engine, fresh_schema) == NEW
    await downgrade(database_url, MIGRATIONS, fresh_schema, "0001")  # as a schema made before
    assert await _added_by_0002(db_engine, fresh_schema) == set()
    await migrate(database_url, MIGRATIONS, fresh_schema)
    assert await _added_by_0002(db_engine, fresh_schema) == NEW
    await migrate(database_url, MIGRATIONS, fresh_schema)  # again: nothing to do
    await downgrade(database_url, MIGRATIONS, fresh_schema)
    assert await schema_tables(db_engine, fresh_schema) == {"alembic_version"}
