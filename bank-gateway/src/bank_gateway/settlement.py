"""What the bank's answers about a document do to its payments (in one transaction).

Each payment moves by the state machine of ``payment_states``; a move its state does not
allow is logged and skipped (a final state never changes). Every move that happens queues
its event: ``PaymentSubmitted`` on acceptance, ``PaymentSettled`` on ``ACSC``/``ACCC``,
``PaymentRejected`` (and a row for ops) on ``RJCT``. ``RJCT AM05`` on a payment's own
``EndToEndId`` says the bank already holds that very transfer under another message: no
failure, the payment stays submitted and is flagged ``held_elsewhere`` for ops to match.
A settled payment whose case no longer asks for it (B2 days past an entitlement's end; a
grant withdrawn, or superseded while in flight by a decision paying another recipient or
amount) opens a recovery case.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from benefits_shared.db.outbox import OutgoingEvent
from sqlalchemy.ext.asyncio import AsyncSession

from bank_gateway.adapters.stores import Stores
from bank_gateway.case_state import CaseState
from bank_gateway.case_updates import CaseUpdates
from bank_gateway.errors import IllegalTransition
from bank_gateway.estate import DECEASED
from bank_gateway.pain002 import StatusReport, TransactionStatus
from bank_gateway.payment_events import PaymentEvents
from bank_gateway.payment_states import (
    FINAL_PAYMENT_STATES,
    DocumentState,
    PaymentEvent,
    PaymentState,
    next_payment_state,
)
from bank_gateway.recovery import SettledPayment, may_be_undue

log = logging.getLogger(__name__)
DUPLICATE = "AM05"
Row = dict[str, Any]


class Settlement:
    def __init__(self, stores: Stores, events: PaymentEvents, updates: CaseUpdates) -> None:
        self._st = stores
        self._events = events
        self._updates = updates

    async def accepted(
        self, s: AsyncSession, msg_id: str, read_at: datetime
    ) -> list[OutgoingEvent]:
        await self._st.documents.accepted(s, msg_id, read_at)
        moved = await self._move_all(s, msg_id, PaymentEvent.SUBMITTED)
        return [self._events.submitted(row, msg_id) for row in moved]

    async def refused(self, s: AsyncSession, msg_id: str, code: str) -> list[OutgoingEvent]:
        await self._st.documents.close(s, msg_id, DocumentState.REFUSED, code)
        reason = f"BANK:{code}"[:35]
        moved = await self._move_all(s, msg_id, PaymentEvent.DOCUMENT_REFUSED, reason_code=reason)
        return await self.rejected(s, [(row, reason) for row in moved])

    async def lost(self, s: AsyncSession, msg_id: str, now: datetime) -> None:
        """404 on a status read: send the same document again, from now."""
        await self._st.documents.again_at(
            s, msg_id, now, "unknown to the bank", DocumentState.UNSENT
        )
        await self._move_all(s, msg_id, PaymentEvent.RETRYABLE_FAILURE)

    async def report(
        self, s: AsyncSession, msg_id: str, report: StatusReport, next_read: datetime
    ) -> list[OutgoingEvent]:
        await self._lock_settling_cases(s, msg_id, report)
        rows = await self._st.payments.in_document(s, msg_id)
        moves: dict[PaymentEvent, list[Row]] = defaultdict(list)
        for row in rows:
            event = _event_of(report.status_of(row["end_to_end_id"]))
            if _allowed(row, event) and (event, row["state"]) not in _NO_CHANGE:
                moves[event].append(row)
        events = await self._apply(s, moves, report)
        open_rows = [r for r in rows if not _done(r, moves)]
        if open_rows:
            await self._st.documents.again_at(s, msg_id, next_read)
        else:
            await self._st.documents.close(s, msg_id, DocumentState.COMPLETE)
        return events

    async def _lock_settling_cases(
        self, s: AsyncSession, msg_id: str, report: StatusReport
    ) -> None:
        """Lock the cases of the payments about to settle before the payments themselves, as
        a decision does: a decision and a settlement of one case then run one after the
        other, and the later sees the other's effect (no recovery case is missed)."""
        rows = await self._st.payments.in_document(s, msg_id, lock=False)
        settling = [r for r in rows if report.status_of(r["end_to_end_id"]).outcome == "settled"]
        await self._st.cases.lock(s, {r["case_id"] for r in settling})

    async def _apply(
        self, s: AsyncSession, moves: dict[PaymentEvent, list[Row]], report: StatusReport
    ) -> list[OutgoingEvent]:
        pay = self._st.payments
        settled = moves[PaymentEvent.SETTLED]
        await pay.move(s, PaymentEvent.SETTLED, PaymentState.SETTLED, _ids(settled))
        held = _ids(moves[PaymentEvent.HELD_ELSEWHERE], held_elsewhere=True)
        await pay.move(s, PaymentEvent.HELD_ELSEWHERE, PaymentState.SUBMITTED, held)
        rejected = [(r, _reason(report, r)) for r in moves[PaymentEvent.REJECTED]]
        changes = [{"payment_id": r["payment_id"], "reason_code": why} for r, why in rejected]
        await pay.move(s, PaymentEvent.REJECTED, PaymentState.REJECTED, changes)
        events = [self._events.settled(r) for r in settled]
        events += await self.rejected(s, rejected)
        cases = await self._st.cases.load(s, {r["case_id"] for r in settled})
        suspect = [c for c in cases.values() if any(_undue(c, r) for r in settled)]
        return events + await self._updates.recover(s, suspect)

    async def rejected(
        self, s: AsyncSession, rejected: list[tuple[Row, str]]
    ) -> list[OutgoingEvent]:
        for row, why in rejected:
            await self._st.ops.reject(s, row["payment_id"], row["case_id"], why, row["amount"])
            log.warning("payment rejected", extra={"payment": row["payment_id"], "reason": why})
        events = [self._events.rejected(row, why) for row, why in rejected]
        dead = {row["case_id"] for row, why in rejected if why == DECEASED and row["days"]}
        return events + await self._updates.refused_by_death(s, dead)

    async def _move_all(
        self, s: AsyncSession, msg_id: str, event: PaymentEvent, **changes: str
    ) -> list[Row]:
        rows = [r for r in await self._st.payments.in_document(s, msg_id) if _allowed(r, event)]
        moving: dict[PaymentState, list[Row]] = defaultdict(list)
        for row in rows:
            to = next_payment_state(PaymentState(row["state"]), event)
            if to != row["state"]:
                moving[to].append(row)
        for to, moved in moving.items():
            await self._st.payments.move(s, event, to, _ids(moved, **changes))
        return [row for moved in moving.values() for row in moved]


_NO_CHANGE = {
    (PaymentEvent.STILL_PENDING, PaymentState.SUBMITTED.value),
    (PaymentEvent.SETTLED, PaymentState.SETTLED.value),
    (PaymentEvent.REJECTED, PaymentState.REJECTED.value),
}


def _event_of(status: TransactionStatus) -> PaymentEvent:
    if status.outcome == "settled":
        return PaymentEvent.SETTLED
    if status.outcome == "rejected":
        return PaymentEvent.HELD_ELSEWHERE if status.reason == DUPLICATE else PaymentEvent.REJECTED
    return PaymentEvent.STILL_PENDING


def _allowed(row: Row, event: PaymentEvent) -> bool:
    try:
        next_payment_state(PaymentState(row["state"]), event)
        return True
    except IllegalTransition as illegal:
        log.error("status ignored", extra={"payment": row["payment_id"], "error": str(illegal)})
        return False


def _done(row: Row, moves: dict[PaymentEvent, list[Row]]) -> bool:
    if row["state"] in FINAL_PAYMENT_STATES or row["held_elsewhere"]:
        return True
    finals = (PaymentEvent.SETTLED, PaymentEvent.REJECTED, PaymentEvent.HELD_ELSEWHERE)
    return any(row in moves[e] for e in finals)


def _undue(state: CaseState, row: Row) -> bool:
    """Whether the payment ``row``, just settled, may be money ``state`` no longer owes."""
    if row["case_id"] != state.case_id:
        return False
    paid = SettledPayment(row["payment_id"], row["recipient_pin"], Decimal(row["amount"]))
    return may_be_undue(state, row["days"] or (), paid)


def _ids(rows: list[Row], **changes: object) -> list[dict[str, Any]]:
    return [{"payment_id": r["payment_id"], **changes} for r in rows]


def _reason(report: StatusReport, row: Row) -> str:
    """The bank's reason, cut to ``payments.reason_code`` (a code is 4, a proprietary one 35
    characters; a bank sending more must not stop the document's settlement in a loop)."""
    return (report.status_of(row["end_to_end_id"]).reason or "RJCT")[:35]
