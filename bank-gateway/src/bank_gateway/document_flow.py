"""Payments to the bank as pain.001 documents, and their pain.002 statuses back.

- ``compose``: cut the ready payments (pending, in no document, payee's account open) into
  documents of ``document_size``; a smaller remainder waits ``linger_seconds`` for more.
  Each document (bytes and key) is stored in the same transaction that puts its payments
  in it, before any call.
- ``advance``: for each due document, on its own slot, send it (``POST /v1/payments``,
  the stored bytes under the stored key) or read its status
  (``GET /v1/payments/{MsgId}/status``), and record the outcome (see
  :mod:`bank_gateway.settlement`). An unknown outcome is asked again after a backoff,
  with the same key and bytes; never as a new document.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from benefits_shared.db.outbox import OutgoingEvent, add_to_outbox
from benefits_shared.db.partial_indexes import walk_indexes
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bank_gateway.adapters.bank_client import BankClient
from bank_gateway.adapters.document_store import DueDocument
from bank_gateway.adapters.stores import Stores
from bank_gateway.bank_calls import BankCalls
from bank_gateway.errors import (
    BankRefused,
    BankUnavailable,
    CircuitOpen,
    InvalidPaymentDocument,
    InvalidStatusReport,
    MessageNotKnown,
)
from bank_gateway.pain001 import Debtor
from bank_gateway.pain002 import parse_pain002
from bank_gateway.payment_documents import chunks, compose
from bank_gateway.payment_states import DocumentState, PaymentEvent, PaymentState
from bank_gateway.settlement import Settlement

log = logging.getLogger(__name__)
INVALID = "NARR"  # ISO 20022 "narrative": see the ops table for why


class DocumentFlow:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        stores: Stores,
        bank: BankClient,
        settlement: Settlement,
        calls: BankCalls,
        debtor: Debtor,
        document_size: int,
        linger_seconds: float,
        status_every: timedelta,
    ) -> None:
        self._sessions = sessions
        self._st = stores
        self._bank = bank
        self._settlement = settlement
        self._calls = calls
        self._debtor = debtor
        self._size = document_size
        self._linger = linger_seconds
        self._status_every = status_every
        self._partial_since: float | None = None

    async def compose(self) -> int:
        """Store the documents that are ready; the number of payments put in one."""
        async with self._sessions.begin() as s:
            await walk_indexes(s)  # the ready payments and the see-through: O(payable)
            rows = await self._st.payments.ready(s, self._size * 4)
            if not rows:
                self._partial_since = None
            groups = chunks(rows, self._size)
            if groups and len(groups[-1]) < self._size and not self._lingered():
                groups = groups[:-1]
            events: list[OutgoingEvent] = []
            for group in groups:
                events += await self._store(s, group)
            await self._st.payments.see_through(s)
            await add_to_outbox(s, self._st.tables.outbox, events)
        return sum(map(len, groups))

    def _lingered(self) -> bool:
        """Whether a part-filled document has waited long enough for more payments."""
        now = time.monotonic()
        if self._partial_since is None:
            self._partial_since = now
        if now - self._partial_since < self._linger:
            return False
        self._partial_since = None
        return True

    async def _store(
        self, s: AsyncSession, rows: Sequence[Mapping[str, Any]]
    ) -> list[OutgoingEvent]:
        now = self._calls.now()
        try:
            doc = compose(rows, self._debtor, now, now.date())
        except InvalidPaymentDocument as invalid:
            if len(rows) > 1:
                return [e for row in rows for e in await self._store(s, [row])]
            return await self._invalid(s, rows[0], str(invalid))
        await self._st.documents.add(s, doc.msg_id, doc.idempotency_key, doc.document, len(rows))
        await self._st.payments.put_in_document(s, doc.msg_id, list(doc.payment_ids))
        return []

    async def _invalid(
        self, s: AsyncSession, row: Mapping[str, Any], why: str
    ) -> list[OutgoingEvent]:
        """A payment no document can carry (a name or account the schema refuses): ops."""
        log.error("payment cannot be sent", extra={"payment": row["payment_id"], "error": why})
        change = [{"payment_id": row["payment_id"], "reason_code": INVALID}]
        await self._st.payments.move(
            s, PaymentEvent.DOCUMENT_REFUSED, PaymentState.REJECTED, change
        )
        return await self._settlement.rejected(s, [(dict(row), INVALID)])

    async def advance(self) -> int:
        """Start sending or reading the due documents, as far as slots are free; how many.

        Each call records its own outcome; none waits for another (ADR 18).
        """
        return await self._calls.start_due(self._claim, self._advance)

    async def _claim(self, limit: int) -> list[DueDocument]:
        async with self._sessions.begin() as s:
            return await self._st.documents.claim_due(s, limit)

    async def _advance(self, doc: DueDocument) -> None:
        if doc.state is DocumentState.UNSENT:
            await self._send(doc)
        else:
            await self._read(doc)

    async def _send(self, doc: DueDocument) -> None:
        try:
            await self._calls.answer(self._bank.submit(doc.key, doc.document))
        except BankRefused as refused:
            log.error("document refused", extra={"msg_id": doc.msg_id, "error": str(refused)})
            await self._record(self._settlement.refused, doc.msg_id, refused.code)
        except BankUnavailable as failure:
            await self._later(doc, failure)
        else:
            read_at = self._calls.now() + self._status_every
            await self._record(self._settlement.accepted, doc.msg_id, read_at)

    async def _read(self, doc: DueDocument) -> None:
        try:
            answer = await self._calls.answer(self._bank.status(doc.msg_id))
            report = parse_pain002(answer, doc.msg_id)
        except MessageNotKnown:
            log.warning(
                "document unknown to the bank, sending it again", extra={"msg_id": doc.msg_id}
            )
            await self._record(self._settlement.lost, doc.msg_id, self._calls.now())
        except (BankUnavailable, BankRefused, InvalidStatusReport) as failure:
            await self._later(doc, failure)
        else:
            next_read = self._calls.now() + self._status_every
            await self._record(self._settlement.report, doc.msg_id, report, next_read)

    async def _record(self, apply: Any, *args: Any) -> None:
        async with self._sessions.begin() as s:
            events = await apply(s, *args)
            await add_to_outbox(s, self._st.tables.outbox, events or [])

    async def _later(self, doc: DueDocument, failure: Exception) -> None:
        retry_after = failure.retry_after if isinstance(failure, BankUnavailable) else None
        wait = self._calls.retry_delay(doc.attempts, retry_after)
        at = self._calls.now() + timedelta(seconds=wait)
        async with self._sessions.begin() as s:
            attempted = not isinstance(failure, CircuitOpen)
            await self._st.documents.again_at(s, doc.msg_id, at, str(failure), None, attempted)
