"""The async SQLAlchemy engine and session factory of a service."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession

from benefits_shared.connections import DatabaseConnection, database_connection

#: No statement of ours runs this long: one that does waits on a connection that stalls
#: (PostgreSQL gone without a reset), and its time-out is an outage to ride out (ADR 21).
COMMAND_TIMEOUT_S = 120.0


def make_engine(database: str | DatabaseConnection, pool_size: int = 5) -> AsyncEngine:
    """A bare URL is the local database (no TLS); a connection carries its TLS settings."""
    connection = database_connection(database)
    engine = create_async_engine(
        connection.full_url(),
        connect_args={**connection.connect_args(), "command_timeout": COMMAND_TIMEOUT_S},
        pool_size=pool_size,
        max_overflow=pool_size,
    )
    event.listen(engine.sync_engine, "checkout", refuse_closed)
    return engine


def refuse_closed(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """A pooled connection the server has closed (a restart, a fail-over, a terminated
    backend) is replaced before it is used: asyncpg learns of the close from the socket,
    so this costs no round trip. SQLAlchemy's ``pool_pre_ping`` would ask the server each
    time (BEGIN, an empty statement, ROLLBACK): three round trips per transaction, a fifth
    of a notice's statements. A connection cut without a word (a partition) fails its
    first statement instead, which the services retry as an outage (ADR 21)."""
    if record.driver_connection.is_closed():
        raise exc.DisconnectionError("the server closed this pooled connection")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
