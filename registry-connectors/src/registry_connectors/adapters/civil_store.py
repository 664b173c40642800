"""What the civil connector remembers: its cursor and every record number it has seen."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_connectors.adapters.checkpoints import Checkpoint, Checkpoints
from registry_connectors.adapters.tables import Tables
from registry_connectors.civil_feed import Seen

CURSOR = "civil-registry"


class CivilStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], tables: Tables) -> None:
        self._sessions = sessions
        self._records = tables.civil_records
        self._checkpoints = Checkpoints(sessions, tables)

    async def cursor(self) -> int:
        return (await self._checkpoints.load(CURSOR)).seq

    async def known(self, numbers: Collection[str]) -> dict[str, Seen]:
        if not numbers:
            return {}
        t = self._records
        async with self._sessions() as session:
            rows = await session.execute(
                select(t.c.record_no, t.c.content_hash, t.c.subject, t.c.published).where(
                    t.c.record_no.in_(list(numbers))
                )
            )
            return {r.record_no: Seen(r.content_hash, r.subject, r.published) for r in rows}

    async def commit(self, remember: Mapping[str, Seen], old: int, new: int) -> None:
        """The page's record numbers and the cursor move, in one transaction."""
        async with self._sessions.begin() as session:
            if remember:
                stmt = insert(self._records)
                stmt = stmt.on_conflict_do_update(
                    index_elements=["record_no"],
                    set_={c: stmt.excluded[c] for c in ("content_hash", "subject", "published")},
                )
                rows = [
                    {
                        "record_no": number,
                        "content_hash": seen.content_hash,
                        "subject": seen.subject,
                        "published": seen.published,
                    }
                    for number, seen in remember.items()
                ]
                await session.execute(stmt, rows)
            if new != old:
                await self._checkpoints.move(session, CURSOR, Checkpoint(old), Checkpoint(new))
