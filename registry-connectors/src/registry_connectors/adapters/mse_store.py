"""What the MSE connector remembers: files processed and event ids published per day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_connectors.adapters.tables import Tables
from registry_connectors.mse_files import DropName, FilePlan


class MseStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], tables: Tables) -> None:
        self._sessions = sessions
        self._files = tables.mse_files
        self._published = tables.mse_published

    async def processed(self, names: Sequence[str]) -> set[tuple[str, str]]:
        """``(name, content_hash)`` of the files among ``names`` already processed."""
        if not names:
            return set()
        t = self._files
        async with self._sessions() as session:
            rows = await session.execute(
                select(t.c.name, t.c.content_hash).where(t.c.name.in_(list(names)))
            )
            return {(r.name, r.content_hash) for r in rows}

    async def published_on(self, day: date) -> set[str]:
        t = self._published
        async with self._sessions() as session:
            rows = await session.execute(select(t.c.event_id).where(t.c.day == day))
            return {r.event_id for r in rows}

    async def record(self, drop: DropName, content_hash: str, plan: FilePlan) -> None:
        """The file as processed and its events as published, in one transaction."""
        async with self._sessions.begin() as session:
            if plan.published_ids:
                rows = [{"day": drop.day, "event_id": i} for i in plan.published_ids]
                await session.execute(insert(self._published).on_conflict_do_nothing(), rows)
            await session.execute(
                insert(self._files)
                .values(
                    name=drop.name,
                    content_hash=content_hash,
                    day=drop.day,
                    rows=plan.rows,
                    published=len(plan.published_ids),
                    quarantined=plan.quarantined,
                )
                .on_conflict_do_nothing()
            )
