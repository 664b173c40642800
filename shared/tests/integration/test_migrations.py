from pathlib import Path

from benefits_shared.db.migrations import downgrade, migrate
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = str(Path(__file__).parent / "example_migrations")


async def _tables(engine: AsyncEngine, schema: str) -> set[str]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
            {"s": schema},
        )
        return {r[0] for r in rows}


async def test_migrations_go_up_and_down_in_the_service_schema(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    await migrate(database_url, MIGRATIONS, fresh_schema)
    assert await _tables(db_engine, fresh_schema) == {
        "alembic_version",
        "inbox",
        "outbox",
        "outbox_batches",
        "effects",
    }
    await migrate(database_url, MIGRATIONS, fresh_schema)  # again: nothing to do
    await downgrade(database_url, MIGRATIONS, fresh_schema)
    assert await _tables(db_engine, fresh_schema) == {"alembic_version"}
    await migrate(database_url, MIGRATIONS, fresh_schema)
    assert "outbox" in await _tables(db_engine, fresh_schema)
