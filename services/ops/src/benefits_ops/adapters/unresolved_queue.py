"""The unresolved queue from the projection, in SQL: the latest event of each case,
payment, estate entry, recovery case and notice (``DISTINCT ON``), kept when that latest
event needs a human and its item is not resolved, then ordered and paged.

The needs-a-human condition is part of the query (not a filter over a capped read), so
no item is ever left out however many things are fine, and the dashboard's counts are
exact (``counts``)."""

from __future__ import annotations

from sqlalchemy import TextClause, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from benefits_ops.adapters.tables import OpsTables
from benefits_ops.unresolved import NOTICE_STATES_NEEDING_HELP, Item, LatestEvent, item

PAGE_MAX = 1000
_NOTICE_STATES = ", ".join(f"'{s}'" for s in NOTICE_STATES_NEEDING_HELP)

# category → (area, what identifies the thing, which event types count,
#             when the thing's latest event needs a human); see ``unresolved.py``.
LATEST = {
    "undecided": (
        "benefit-decisions",
        "case_id",
        "%benefit-decided%",
        "payload->>'outcome' = 'unresolved'",
    ),
    "payment": (
        "payments",
        "payload->>'payment_id'",
        "%payment-%",
        "ce_type LIKE '%payment-rejected%'",
    ),
    "estate": ("payments", "payload->>'owed_id'", "%owed-to-estate%", "TRUE"),
    "recovery": ("payments", "payload->>'recovery_id'", "%recovery-opened%", "TRUE"),
    "notice": (
        "notices",
        "payload->>'notice_id'",
        "%notice-%",
        f"ce_type LIKE '%notice-parked%' OR payload->>'state' IN ({_NOTICE_STATES})",
    ),
}


class UnresolvedQueue:
    def __init__(self, tables: OpsTables) -> None:
        self._schema = tables.metadata.schema
        self._t = tables

    async def items(
        self, s: AsyncSession, category: str | None = None, limit: int = PAGE_MAX, offset: int = 0
    ) -> list[Item]:
        """Newest first (then by category and id: a stable order to page through)."""
        sql = self._over(
            category,
            "SELECT category, ce_id, ce_type, ce_time, payload FROM waiting"
            " ORDER BY ce_time DESC NULLS LAST, category, ce_id LIMIT :limit OFFSET :offset",
        )
        rows = await s.execute(sql, {"limit": min(limit, PAGE_MAX), "offset": offset})
        return [
            item(LatestEvent(r.category, r.ce_id, r.ce_type, r.ce_time, r.payload or {}))
            for r in rows
        ]

    async def counts(self, s: AsyncSession) -> dict[str, int]:
        """How many items wait in each category (only categories with any)."""
        sql = self._over(None, "SELECT category, count(*) AS n FROM waiting GROUP BY category")
        return {r.category: r.n for r in await s.execute(sql)}

    def _over(self, category: str | None, query: str) -> TextClause:
        waiting = " UNION ALL ".join(
            self._waiting(name) for name in (LATEST if category is None else [category])
        )
        return text(f"WITH waiting AS ({waiting}) {query}")

    def _waiting(self, category: str) -> str:
        area, thing, types, needs_help = LATEST[category]
        return f"""SELECT '{category}' AS category, ce_id, ce_type, ce_time, payload FROM (
            SELECT DISTINCT ON ({thing}) ce_id, ce_type, ce_time, payload
            FROM "{self._schema}".events
            WHERE kind = '{area}' AND ce_type LIKE '{types}' AND {thing} IS NOT NULL
            ORDER BY {thing}, id DESC) latest
          WHERE ({needs_help}) AND NOT EXISTS (
            SELECT 1 FROM "{self._schema}".resolutions r
            WHERE r.item_key = '{category}:' || latest.ce_id)"""  # noqa: S608 (names from LATEST)

    async def resolve(self, s: AsyncSession, key: str, by: str, note: str) -> bool:
        done = await s.execute(
            pg_insert(self._t.resolutions)
            .values(item_key=key, resolved_by=by, note=note)
            .on_conflict_do_nothing()
            .returning(self._t.resolutions.c.item_key)
        )
        return done.first() is not None
