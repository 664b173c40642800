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
        # The rows as parameters of a constant statement, compiled once (``.values(rows)``
        # is compiled anew for every batch).
        if events:
            await s.execute(insert(self._t.events).on_conflict_do_nothing(), events)
        if dead:
            await s.execute(insert(self._t.dead_letters).on_conflict_do_nothing(), dead)


def _values(row: EventRow | DeadLetterRow) -> dict[str, object]:
    values = asdict(row)
    values["pin_hashes"] = list(row.pin_hashes)
    return values
