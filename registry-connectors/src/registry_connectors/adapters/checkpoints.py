"""Checkpoints in PostgreSQL: where a feed is, moved only by the process that read it.

A move names where it expects the checkpoint to be (optimistic concurrency): if another
instance moved it meanwhile, :class:`CheckpointMoved` rolls the transaction back and the
caller reloads. A move can join the transaction of other writes (the civil records).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql import func

from registry_connectors.adapters.tables import Tables
from registry_connectors.errors import CheckpointMoved


@dataclass(frozen=True, slots=True)
class Checkpoint:
    seq: int = 0
    after_pin: str | None = None
    done: bool = False


class Checkpoints:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], tables: Tables) -> None:
        self._sessions = sessions
        self._table = tables.checkpoints

    async def load(self, name: str) -> Checkpoint:
        async with self._sessions.begin() as session:
            await session.execute(
                insert(self._table)
                .values(name=name)
                .on_conflict_do_nothing(index_elements=["name"])
            )
            row = (
                await session.execute(
                    select(self._table.c.seq, self._table.c.after_pin, self._table.c.done).where(
                        self._table.c.name == name
                    )
                )
            ).one()
        return Checkpoint(int(row.seq), row.after_pin, bool(row.done))

    async def move(
        self, session: AsyncSession, name: str, old: Checkpoint, new: Checkpoint
    ) -> None:
        """Inside ``session``'s transaction: from ``old`` to ``new``, or CheckpointMoved."""
        t = self._table
        result = await session.execute(
            update(t)
            .where(t.c.name == name, t.c.seq == old.seq, t.c.done == old.done)
            .where(t.c.after_pin.is_not_distinct_from(old.after_pin))
            .values(seq=new.seq, after_pin=new.after_pin, done=new.done, updated_at=func.now())
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise CheckpointMoved(f"checkpoint {name} was moved by another process")

    async def save(self, name: str, old: Checkpoint, new: Checkpoint) -> None:
        async with self._sessions.begin() as session:
            await self.move(session, name, old, new)
