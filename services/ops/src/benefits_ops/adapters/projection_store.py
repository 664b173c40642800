"""Writes the projection: events and dead letters, each once (ON CONFLICT DO NOTHING)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from benefits_ops.adapters.tables import OpsTables
from benefits_ops.projection import DeadLetterRow, EventRow


class ProjectionStore:
    def __init__(self, tables: OpsTables) -> None:
        self._t = tables

    async def store(self, s: AsyncSession, rows: Sequence[EventRow | DeadLetterRow]) -> None:
        events = [_values(r) for r in rows if isinstance(r, EventRow)]
        dead = [_values(r) for r in rows if isinstance(r, DeadLetterRow)]
        if events:
            await s.execute(insert(self._t.events).values(events).on_conflict_do_nothing())
        if dead:
            await s.execute(insert(self._t.dead_letters).values(dead).on_conflict_do_nothing())


def _values(row: EventRow | DeadLetterRow) -> dict[str, object]:
    values = asdict(row)
    values["pin_hashes"] = list(row.pin_hashes)
    return values
