"""pain.001 documents in PostgreSQL: the bytes and key stored before the first call.

``claim_due`` records every attempt before the call (its count, and a lease after which a
worker killed mid-call is replaced); the same bytes go out under the same key every time.
An accepted document is due again when its status is to be read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bank_gateway.adapters.leases import DueClaim
from bank_gateway.adapters.tables import GatewayTables
from bank_gateway.payment_states import DocumentState

OPEN_STATES = (DocumentState.UNSENT.value, DocumentState.ACCEPTED.value)


@dataclass(frozen=True, slots=True)
class DueDocument:
    msg_id: str
    key: str
    document: bytes
    state: DocumentState
    attempts: int


class DocumentStore:
    def __init__(self, tables: GatewayTables, lease: timedelta) -> None:
        self.t = tables
        d = tables.documents
        returning = [d.c.msg_id, d.c.idempotency_key, d.c.document, d.c.state, d.c.attempts]
        self._claim = DueClaim(d, d.c.state.in_(OPEN_STATES), lease, returning)

    async def add(self, s: AsyncSession, msg_id: str, key: str, document: bytes, n: int) -> None:
        await s.execute(
            insert(self.t.documents)
            .values(
                msg_id=msg_id,
                idempotency_key=key,
                document=document,
                transfers=n,
                state=DocumentState.UNSENT.value,
            )
            .on_conflict_do_nothing(index_elements=["msg_id"])
        )

    async def claim_due(self, s: AsyncSession, limit: int) -> list[DueDocument]:
        return [
            DueDocument(msg_id, key, bytes(doc), DocumentState(state), attempts)
            for msg_id, key, doc, state, attempts in await self._claim(s, limit)
        ]

    async def accepted(self, s: AsyncSession, msg_id: str, read_at: datetime) -> None:
        """202: read its status from ``read_at`` on."""
        d = self.t.documents
        await s.execute(
            update(d)
            .where(d.c.msg_id == msg_id, d.c.state == DocumentState.UNSENT.value)
            .values(
                state=DocumentState.ACCEPTED.value,
                accepted_at=func.now(),
                attempts=0,
                next_attempt_at=read_at,
                last_error=None,
            )
        )

    async def again_at(
        self,
        s: AsyncSession,
        msg_id: str,
        at: datetime,
        error: str | None = None,
        state: DocumentState | None = None,
        attempted: bool = True,
    ) -> None:
        """Due again at ``at``: a retry after ``error``, or (no error) the next status read
        after an answer, which starts the count of attempts again. Not ``attempted``: the
        call counted at the claim was never made (the circuit was open), so it is not."""
        d = self.t.documents
        values: dict[str, object] = {"next_attempt_at": at, "last_error": error}
        if error is None:
            values["attempts"] = 0
        elif not attempted:
            values["attempts"] = d.c.attempts - 1
        if state is not None:
            values["state"] = state.value
        await s.execute(update(d).where(d.c.msg_id == msg_id).values(values))

    async def close(
        self, s: AsyncSession, msg_id: str, state: DocumentState, error: str | None = None
    ) -> None:
        d = self.t.documents
        await s.execute(
            update(d)
            .where(d.c.msg_id == msg_id)
            .values(state=state.value, completed_at=func.now(), last_error=error)
        )
