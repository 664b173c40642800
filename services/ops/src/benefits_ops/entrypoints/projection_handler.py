"""The projection's Kafka handler: a batch of records in, one transaction of rows out.

The loop commits offsets after ``handle`` returns, so a row is written before its offset
is committed; a re-delivered record hits the unique constraints and changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from benefits_shared.kafka.consumer_loop import Delivery
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from benefits_ops.adapters.projection_store import ProjectionStore
from benefits_ops.pin_redaction import PinRedactor
from benefits_ops.projection import RawRecord, project


def raw(record: Any) -> RawRecord:
    """The decoder of the projection's loop: it never refuses a record."""
    return RawRecord(
        record.topic,
        record.partition,
        record.offset,
        record.key,
        record.value,
        tuple((k, v) for k, v in (record.headers or ()) if v is not None),
    )


class ProjectionHandler:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        store: ProjectionStore,
        redactor: PinRedactor,
    ) -> None:
        self._sessions = sessions
        self._store = store
        self._redactor = redactor

    async def handle(self, deliveries: Sequence[Delivery[RawRecord]]) -> None:
        rows = [project(d.message, self._redactor) for d in deliveries]
        async with self._sessions.begin() as s:
            await self._store.store(s, rows)
