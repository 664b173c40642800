"""One leader among a service's instances for the work only one may do at a time.

A registry connector reads one feed with one cursor: two instances polling it at once
would publish each page twice and move the cursor back and forth. Such a part asks
:meth:`Leadership.lead` before each step: it holds a PostgreSQL session advisory lock on a
connection of its own, taken with ``pg_try_advisory_lock`` (never waiting, so a standby
stays stoppable) and checked on every call. The lock lives as long as the connection: a
leader killed with SIGKILL, or cut off from PostgreSQL, loses it when PostgreSQL drops the
session, and a standby takes it on its next try. A leader that finds its connection dead
knows it has lost the lead and does nothing until it takes it again. One log line per
change (taken, lost, released), never per try.

Work that many instances share (consumer groups, rows claimed with ``SKIP LOCKED``) needs
no leader; see ARCHITECTURE.md "Several instances of every service".
"""

from __future__ import annotations

import contextlib
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

TRY = text("SELECT pg_try_advisory_lock(hashtextextended(:name, 0))")
UNLOCK = text("SELECT pg_advisory_unlock(hashtextextended(:name, 0))")
ALIVE = text("SELECT 1")


class Leadership:
    def __init__(self, engine: AsyncEngine, name: str) -> None:
        """``name`` is unique per database: the schema and the role, e.g.
        ``connectors:civil``."""
        self._engine = engine
        self._name = name
        self._held: AsyncConnection | None = None

    @property
    def name(self) -> str:
        return self._name

    @property
    def holds(self) -> bool:
        """Whether the lead was held at the last ask (``lead()`` checks it again)."""
        return self._held is not None

    async def lead(self) -> bool:
        """True when this instance holds the lead now (taking it if it is free)."""
        if self._held is not None and await self._still_held(self._held):
            return True
        connection = await self._engine.connect()
        try:
            taken = bool(await connection.scalar(TRY, {"name": self._name}))
            await connection.commit()
        except BaseException:
            await connection.close()
            raise
        if not taken:
            await connection.close()
            return False
        self._held = connection
        log.info("lead taken", extra={"lead": self._name})
        return True

    async def release(self) -> None:
        """Give the lead up, so a standby takes it at its next try."""
        held, self._held = self._held, None
        if held is None:
            return
        try:  # the connection goes back to the pool: the lock must not go with it
            await held.execute(UNLOCK, {"name": self._name})
            await held.commit()
        finally:
            await held.close()
        log.info("lead released", extra={"lead": self._name})

    async def _still_held(self, held: AsyncConnection) -> bool:
        try:
            await held.execute(ALIVE)
            await held.commit()
        except Exception as exc:  # the session is gone, and with it the lock
            self._held = None
            log.warning("lead lost", extra={"lead": self._name, "error": type(exc).__name__})
            with contextlib.suppress(Exception):  # it is unusable already
                await held.invalidate()
            return False
        return True
