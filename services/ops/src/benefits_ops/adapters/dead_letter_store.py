"""Dead letters as projected, and what ops did with them (one state change each)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from benefits_ops.adapters.tables import OpsTables
from benefits_ops.errors import ActionRefused, NotFound
from benefits_ops.projection import DeadLetterRow

STATES = ("open", "redriven", "discarded")


@dataclass(frozen=True, slots=True)
class DeadLetter(DeadLetterRow):
    """A projected dead letter and what ops did with it."""

    id: int
    state: str
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: dict[str, Any] | None


class DeadLetterStore:
    def __init__(self, tables: OpsTables) -> None:
        self._t = tables.dead_letters

    async def in_state(
        self, s: AsyncSession, state: str | None, limit: int = 200
    ) -> list[DeadLetter]:
        query = select(*self._columns()).order_by(self._t.c.id.desc()).limit(limit)
        if state is not None:
            query = query.where(self._t.c.state == state)
        return [_dead_letter(r) for r in await s.execute(query)]

    async def get(self, s: AsyncSession, dead_letter_id: int, lock: bool = False) -> DeadLetter:
        query = select(*self._columns()).where(self._t.c.id == dead_letter_id)
        row = (await s.execute(query.with_for_update() if lock else query)).first()
        if row is None:
            raise NotFound(f"no dead letter {dead_letter_id}")
        return _dead_letter(row)

    async def open_for_action(self, s: AsyncSession, dead_letter_id: int) -> DeadLetter:
        """The dead letter, locked until the transaction ends; refused unless open."""
        dead = await self.get(s, dead_letter_id, lock=True)
        if dead.state != "open":
            raise ActionRefused(f"dead letter {dead_letter_id} is already {dead.state}")
        return dead

    async def close(
        self, s: AsyncSession, dead_letter_id: int, state: str, by: str, resolution: dict[str, Any]
    ) -> None:
        await s.execute(
            update(self._t)
            .where(self._t.c.id == dead_letter_id)
            .values(state=state, resolved_at=func.now(), resolved_by=by, resolution=resolution)
        )

    async def count_open(self, s: AsyncSession) -> int:
        query = select(func.count()).select_from(self._t).where(self._t.c.state == "open")
        return int((await s.execute(query)).scalar_one())

    def _columns(self) -> list[Any]:
        return [self._t.c[f.name] for f in fields(DeadLetter)]


def _dead_letter(row: Row[Any]) -> DeadLetter:
    return DeadLetter(**{**row._mapping, "pin_hashes": tuple(row.pin_hashes)})
