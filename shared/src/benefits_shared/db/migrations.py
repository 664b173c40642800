"""Alembic with one schema per service, run programmatically (no alembic.ini).

A service keeps its revisions in ``<package>/migrations/`` whose ``env.py`` is two lines::

    from benefits_shared.db.migrations import run_env
    from my_service.adapters.tables import METADATA, SCHEMA
    run_env(METADATA, SCHEMA)

and upgrades at start with ``await migrate(url, "my_service.migrations", SCHEMA)``. The
version table lives in the service's own schema, so services migrate independently.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from benefits_shared.connections import DatabaseConnection, database_connection
from benefits_shared.db.messaging_tables import add_messaging_tables


def _script_location(migrations: str) -> str:
    """A package name (``my_service.migrations``) or a folder path."""
    if Path(migrations).is_dir():
        return str(Path(migrations).resolve())
    return str(resources.files(migrations))


def alembic_config(
    database: str | DatabaseConnection, migrations_package: str, schema: str
) -> Config:
    connection = database_connection(database)
    cfg = Config()
    cfg.set_main_option("script_location", _script_location(migrations_package))
    cfg.set_main_option("sqlalchemy.url", connection.full_url().replace("%", "%%"))
    cfg.attributes["schema"] = schema
    cfg.attributes["connect_args"] = connection.connect_args()
    return cfg


def _upgrade_sync(
    database: str | DatabaseConnection, migrations_package: str, schema: str, rev: str
) -> None:
    command.upgrade(alembic_config(database, migrations_package, schema), rev)


def _downgrade_sync(
    database: str | DatabaseConnection, migrations_package: str, schema: str, rev: str
) -> None:
    command.downgrade(alembic_config(database, migrations_package, schema), rev)


async def migrate(
    database_url: str | DatabaseConnection,
    migrations_package: str,
    schema: str,
    revision: str = "head",
) -> None:
    """Upgrade a service's schema; safe to call at every start and from several processes."""
    await asyncio.to_thread(_upgrade_sync, database_url, migrations_package, schema, revision)


async def downgrade(
    database_url: str | DatabaseConnection,
    migrations_package: str,
    schema: str,
    revision: str = "base",
) -> None:
    await asyncio.to_thread(_downgrade_sync, database_url, migrations_package, schema, revision)


def _run_with(connection: Connection, metadata: MetaData, schema: str) -> None:
    # One migrator at a time per schema, even when several replicas start together.
    connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": schema})
    # Created only when missing: in production the schema exists, owned by the service's
    # role, which has no CREATE on the database (PostgreSQL checks that privilege even
    # for CREATE SCHEMA IF NOT EXISTS).
    exists = "SELECT 1 FROM pg_namespace WHERE nspname = :s"
    if connection.execute(text(exists), {"s": schema}).scalar() is None:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table_schema=schema,
        include_schemas=False,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online(
    url: str, connect_args: dict[str, Any], metadata: MetaData, schema: str
) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool, connect_args=connect_args)
    async with engine.begin() as connection:
        await connection.run_sync(_run_with, metadata, schema)
    await engine.dispose()


def run_env(metadata: MetaData, schema: str) -> None:
    """The body of every service's ``env.py``."""
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("no sqlalchemy.url in the Alembic config")
    schema = context.config.attributes.get("schema", schema)
    connect_args = context.config.attributes.get("connect_args", {})
    asyncio.run(_run_online(url, connect_args, metadata, schema))


def create_messaging_tables(schema: str) -> None:
    """In a revision's ``upgrade()``: the inbox, outbox and outbox_batches of the schema."""
    for table in add_messaging_tables(MetaData(schema=schema)):
        table.create(op.get_bind())


def drop_messaging_tables(schema: str) -> None:
    """In a revision's ``downgrade()``."""
    for table in reversed(add_messaging_tables(MetaData(schema=schema))):
        table.drop(op.get_bind())


def add_column(table: str, column: str, definition: str) -> None:
    """In a revision's ``upgrade()``: the schema's ``table`` gets ``column``. Revision 0001
    of a service creates its tables from the current models, so a schema made after this
    revision has the column already and the step does nothing there (``IF NOT EXISTS``)."""
    schema = context.config.attributes["schema"]
    op.execute(f'ALTER TABLE "{schema}"."{table}" ADD COLUMN IF NOT EXISTS "{column}" {definition}')


def drop_column(table: str, column: str) -> None:
    """That revision's ``downgrade()``."""
    schema = context.config.attributes["schema"]
    op.execute(f'ALTER TABLE "{schema}"."{table}" DROP COLUMN IF EXISTS "{column}"')


def add_batch_row_ids() -> None:
    """A revision's ``upgrade()`` in every service with an outbox: ``outbox_batches``
    gets ``row_ids`` (issue #12; ``benefits_shared.db.outbox``)."""
    add_column("outbox_batches", "row_ids", "bigint[]")


def drop_batch_row_ids() -> None:
    """That revision's ``downgrade()``."""
    drop_column("outbox_batches", "row_ids")


#: The outbox's payload columns: never filtered on, wide, and what made each analyze of a
#: growing outbox cost (issue #12).
OUTBOX_PAYLOAD = ("topic", "key", "headers", "value", "traceparent")


def without_statistics(table: str, columns: Sequence[str], keep: bool = False) -> None:
    """In a revision: ANALYZE skips ``columns`` of the schema's ``table`` (statistics
    target 0), or gathers them again (``keep``, the downgrade). Autovacuum analyzes a
    table that grows from nothing again and again (ADR 27); the statistics of a wide
    column no statement filters on were most of that work."""
    schema = context.config.attributes["schema"]
    target = -1 if keep else 0
    for column in columns:
        op.execute(
            f'ALTER TABLE "{schema}"."{table}" ALTER COLUMN "{column}" SET STATISTICS {target}'
        )


def drop_column_index(table: str, column: str) -> None:
    """In a revision's ``upgrade()``: the index a model's ``index=True`` gave ``column``
    (named ``ix_<schema>_<table>_<column>``) is dropped, when another index of the table
    leads with the column and so serves its lookups (issue #12). Revision 0001 no longer
    creates it on a schema made after the revision; there the step does nothing."""
    schema = context.config.attributes["schema"]
    op.execute(f'DROP INDEX IF EXISTS "{schema}"."ix_{schema}_{table}_{column}"')


def restore_column_index(table: str, column: str) -> None:
    """That revision's ``downgrade()``."""
    schema = context.config.attributes["schema"]
    op.execute(
        f'CREATE INDEX IF NOT EXISTS "ix_{schema}_{table}_{column}"'
        f' ON "{schema}"."{table}" ("{column}")'
    )
