"""The unresolved queue from the projection: the latest event of each case, payment,
recovery case and notice (``DISTINCT ON``), kept when it needs a human and not resolved."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from benefits_ops.adapters.tables import OpsTables
from benefits_ops.unresolved import Item, LatestEvent, item, needs_help

LIMIT = 1000

# category → (area, what identifies the thing, which event types count)
LATEST = {
    "undecided": ("benefit-decisions", "case_id", "%benefit-decided%"),
    "payment": ("payments", "payload->>'payment_id'", "%payment-%"),
    "estate": ("payments", "payload->>'payment_id'", "%estate%"),
    "recovery": ("payments", "payload->>'recovery_id'", "%recovery-opened%"),
    "notice": ("notices", "payload->>'notice_id'", "%notice-%"),
}


class UnresolvedQueue:
    def __init__(self, tables: OpsTables) -> None:
        self._t = tables
        self._schema = tables.metadata.schema

    async def items(self, s: AsyncSession, category: str | None = None) -> list[Item]:
        resolved = set((await s.execute(select(self._t.resolutions.c.item_key))).scalars())
        found: list[Item] = []
        for name in LATEST if category is None else [category]:
            for event in await self._latest(s, name):
                if needs_help(event) and f"{name}:{event.ce_id}" not in resolved:
                    found.append(item(event))
        found.sort(key=lambda i: (i.at is None, i.at), reverse=True)
        return found

    async def _latest(self, s: AsyncSession, category: str) -> list[LatestEvent]:
        area, thing, types = LATEST[category]
        sql = text(
            f"""SELECT DISTINCT ON ({thing}) ce_id, ce_type, ce_time, payload
            FROM "{self._schema}".events
            WHERE kind = :area AND ce_type LIKE :types AND {thing} IS NOT NULL
            ORDER BY {thing}, id DESC LIMIT :limit"""  # noqa: S608 (names from LATEST)
        )
        rows = await s.execute(sql, {"area": area, "types": types, "limit": LIMIT})
        return [LatestEvent(category, r.ce_id, r.ce_type, r.ce_time, r.payload or {}) for r in rows]

    async def resolve(self, s: AsyncSession, key: str, by: str, note: str) -> bool:
        done = await s.execute(
            pg_insert(self._t.resolutions)
            .values(item_key=key, resolved_by=by, note=note)
            .on_conflict_do_nothing()
            .returning(self._t.resolutions.c.item_key)
        )
        return done.first() is not None
