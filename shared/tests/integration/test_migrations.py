from pathlib import Path

from benefits_shared.db.migrations import downgrade, migrate
from benefits_shared.testing import schema_tables
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = str(Path(__file__).parent / "example_migrations")


async def test_migrations_go_up_and_down_in_the_service_schema(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    await migrate(database_url, MIGRATIONS, fresh_schema)
    assert await schema_tables(db_engine, fresh_schema) == {
        "alembic_version",
        "inbox",
        "outbox",
        "outbox_batches",
        "effects",
    }
    await migrate(database_url, MIGRATIONS, fresh_schema)  # again: nothing to do
    await downgrade(database_url, MIGRATIONS, fresh_schema)
    assert await schema_tables(db_engine, fresh_schema) == {"alembic_version"}
    await migrate(database_url, MIGRATIONS, fresh_schema)
    assert "outbox" in await schema_tables(db_engine, fresh_schema)
