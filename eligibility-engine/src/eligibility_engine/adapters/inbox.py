"""The engine's inbox: which events it has already applied, claimed a batch at a time."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from eligibility_engine.adapters.tables import EngineTables

CLAIM = """
INSERT INTO {s}.inbox (event_id) SELECT unnest(CAST(:ids AS text[]))
ON CONFLICT (event_id) DO NOTHING RETURNING event_id"""


class Inbox:
    def __init__(self, tables: EngineTables) -> None:
        self._claim = tables.sql(CLAIM)

    async def claim(self, s: AsyncSession, event_ids: Iterable[str]) -> set[str]:
        """Record the ids in the caller's transaction; return those not seen before.

        Applying only the returned events, in the same transaction, makes every effect
        happen once however often Kafka delivers the event (as ``benefits_shared.db.inbox``,
        in one statement whatever the batch's size).
        """
        ids = list(dict.fromkeys(event_ids))
        if not ids:
            return set()
        return set((await s.execute(self._claim, {"ids": ids})).scalars())
