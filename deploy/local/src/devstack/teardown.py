"""Removing a namespace's run from a shared stack: its topics and its schemas.

A run in a namespace of its own (a bench, a test of ``make run``) leaves the stack as it
found it; without this, every end-to-end bench left three schemas and its topics behind
(7.8 GB of old runs were found in a local PostgreSQL).
"""

from __future__ import annotations

from benefits_shared.kafka.admin import delete_topics
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from devstack.namespace import Namespace

#: Every schema a service of the platform keeps.
SCHEMAS = ("connectors", "engine", "bank_gateway", "notifier", "ops")


async def remove(bootstrap: str, database_url: str, ns: Namespace) -> None:
    """The run's topics and schemas (the shared stack keeps only what it had)."""
    await delete_topics(bootstrap, [t.name for t in ns.topics()])
    engine = create_async_engine(database_url)
    async with engine.begin() as conn:
        for schema in SCHEMAS:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{ns.name(schema)}" CASCADE'))
    await engine.dispose()
