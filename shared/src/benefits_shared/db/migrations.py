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
from importlib import resources
from pathlib import Path

from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from benefits_shared.db.messaging_tables import add_messaging_tables


def _script_location(migrations: str) -> str:
    """A package name (``my_service.migrations``) or a folder path."""
    if Path(migrations).is_dir():
        return str(Path(migrations).resolve())
    return str(resources.files(migrations))


def alembic_config(database_url: str, migrations_package: str, schema: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", _script_location(migrations_package))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    cfg.attributes["schema"] = schema
    return cfg


def _upgrade_sync(database_url: str, migrations_package: str, schema: str, rev: str) -> None:
    command.upgrade(alembic_config(database_url, migrations_package, schema), rev)


def _downgrade_sync(database_url: str, migrations_package: str, schema: str, rev: str) -> None:
    command.downgrade(alembic_config(database_url, migrations_package, schema), rev)


async def migrate(
    database_url: str, migrations_package: str, schema: str, revision: str = "head"
) -> None:
    """Upgrade a service's schema; safe to call at every start and from several processes."""
    await asyncio.to_thread(_upgrade_sync, database_url, migrations_package, schema, revision)


async def downgrade(
    database_url: str, migrations_package: str, schema: str, revision: str = "base"
) -> None:
    await asyncio.to_thread(_downgrade_sync, database_url, migrations_package, schema, revision)


def _run_with(connection: Connection, metadata: MetaData, schema: str) -> None:
    # One migrator at a time per schema, even when several replicas start together.
    connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": schema})
    connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table_schema=schema,
        include_schemas=False,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online(url: str, metadata: MetaData, schema: str) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.begin() as connection:
        await connection.run_sync(_run_with, metadata, schema)
    await engine.dispose()


def run_env(metadata: MetaData, schema: str) -> None:
    """The body of every service's ``env.py``."""
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("no sqlalchemy.url in the Alembic config")
    schema = context.config.attributes.get("schema", schema)
    asyncio.run(_run_online(url, metadata, schema))


def create_messaging_tables(schema: str) -> None:
    """In a revision's ``upgrade()``: the inbox, outbox and outbox_batches of the schema."""
    for table in add_messaging_tables(MetaData(schema=schema)):
        table.create(op.get_bind())


def drop_messaging_tables(schema: str) -> None:
    """In a revision's ``downgrade()``."""
    for table in reversed(add_messaging_tables(MetaData(schema=schema))):
        table.drop(op.get_bind())
