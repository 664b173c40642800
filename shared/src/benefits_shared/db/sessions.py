"""The async SQLAlchemy engine and session factory of a service."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession

from benefits_shared.connections import DatabaseConnection, database_connection

#: No statement of ours runs this long: one that does waits on a connection that stalls
#: (PostgreSQL gone without a reset), and its time-out is an outage to ride out (ADR 21).
COMMAND_TIMEOUT_S = 120.0


def make_engine(database: str | DatabaseConnection, pool_size: int = 5) -> AsyncEngine:
    """A bare URL is the local database (no TLS); a connection carries its TLS settings."""
    connection = database_connection(database)
    return create_async_engine(
        connection.full_url(),
        connect_args={**connection.connect_args(), "command_timeout": COMMAND_TIMEOUT_S},
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
