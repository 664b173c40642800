"""The inbox: which events a service has already applied."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from benefits_shared import tracing


async def claim_new(session: AsyncSession, inbox: Table, event_ids: Iterable[str]) -> set[str]:
    """Record the ids in the inbox, in the caller's transaction; return those not seen before.

    Applying only the returned events, in the same transaction, makes every effect happen
    once however often Kafka delivers the event. Each keeps the trace context it was
    consumed in (``benefits_shared.tracing``), for what is done for it later.
    """
    ids = list(dict.fromkeys(event_ids))
    if not ids:
        return set()
    traces = {i: t for i in ids if (t := tracing.cause_of(i)) is not None}
    rows = [
        {"event_id": i, "traceparent": traces.get(i)} if traces else {"event_id": i} for i in ids
    ]
    # One constant statement, the rows its parameters: cached once compiled (a statement
    # holding the rows in ``.values`` is compiled anew for each call, benefits_shared.db.outbox).
    stmt = (
        insert(inbox)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(inbox.c.event_id)
    )
    return set((await session.execute(stmt, rows)).scalars())
