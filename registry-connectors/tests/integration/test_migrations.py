"""The connectors' schema goes up, down and up again, in whatever schema it is given."""

from benefits_shared.db.migrations import downgrade, migrate
from benefits_shared.testing import schema_tables
from registry_connectors.bootstrap import MIGRATIONS
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


async def test_migrations_go_up_and_down_in_the_connectors_schema(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    await migrate(database_url, MIGRATIONS, fresh_schema)
    tables = {"checkpoints", "civil_records", "mse_files", "mse_published", "alembic_version"}
    assert await schema_tables(db_engine, fresh_schema) == tables
    await migrate(database_url, MIGRATIONS, fresh_schema)  # again: nothing to do
    await downgrade(database_url, MIGRATIONS, fresh_schema)
    assert await schema_tables(db_engine, fresh_schema) == {"alembic_version"}
    await migrate(database_url, MIGRATIONS, fresh_schema)
    assert await schema_tables(db_engine, fresh_schema) == tables


async def test_a_record_quarantined_before_0002_is_still_known_as_quarantined(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    await migrate(database_url, MIGRATIONS, fresh_schema, "0001")
    async with db_engine.begin() as conn:
        await conn.execute(
            text(
                f'INSERT INTO "{fresh_schema}".civil_records VALUES'
                " ('B-1', 'aa', 'subject', true), ('B-2', 'bb', NULL, false)"
            )
        )
    await migrate(database_url, MIGRATIONS, fresh_schema)
    async with db_engine.connect() as conn:
        rows = await conn.execute(
            text(f'SELECT * FROM "{fresh_schema}".civil_records ORDER BY record_no')
        )
        assert [tuple(r) for r in rows] == [
            ("B-1", "aa", "subject", []),
            ("B-2", None, None, ["bb"]),
        ]
