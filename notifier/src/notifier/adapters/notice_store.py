"""The notices in PostgreSQL: recorded, claimed for sending, moved through their states.

Every change of state goes through :meth:`NoticeStore.transition`: it asks the state
machine (``notice_states``), writes the row and, in the same transaction, queues a
``NoticeChanged`` event in the outbox. The sender claims a due notice with ``SELECT …
FOR UPDATE SKIP LOCKED`` and, to hand it over, ``lease`` s it: the attempt is counted and
the notice is not due again until the lease ends (``retry_at``), then the transaction
commits and the call is made without a database connection. Its outcome is written only
while the lease is still the sender's (``still_leased``: one statement for a batch of
outcomes); a sender killed mid-call leaves the notice to the next one after the lease,
which asks again with the same key and body (ADR 18). So a call that hangs until its
time-out holds no connection and no row lock.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from benefits_shared.contracts.decisions import BenefitDecided
from benefits_shared.contracts.notices import NoticeChanged
from benefits_shared.db.outbox import OutgoingEvent, add_to_outbox
from benefits_shared.db.partial_indexes import matches
from benefits_shared.pin import PinHasher
from sqlalchemy import Row, bindparam, func, or_, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from notifier import reachability
from notifier.adapters.tables import NotifierTables
from notifier.errors import IllegalNoticeTransition
from notifier.metrics import NotifierMetrics
from notifier.notice_kinds import NoticeKind
from notifier.notice_states import NoticeEvent, NoticeState, next_state, report_event
from notifier.outgoing_sms import PreparedSms, SmsRequest

SOURCE = "/notifier"


@dataclass(frozen=True, slots=True)
class StoredNotice:
    notice_id: str
    decision: BenefitDecided
    kind: NoticeKind
    language: str
    state: NoticeState
    request: SmsRequest | None = None
    encoding: str | None = None
    segments: int | None = None
    failures: int = 0
    outcome_unknown: bool = False
    message_id: str | None = None
    #: The trace context its decision was consumed in (ADR 0015), None if not traced.
    traceparent: str | None = None
    #: Until when a sender holds it for a hand-over (``NoticeStore.lease``).
    leased_until: datetime | None = None

    @property
    def recipient_pin(self) -> str | None:
        return reachability.recipient_pin(self.decision)

    @classmethod
    def of(cls, row: Row[Any]) -> StoredNotice:
        return cls(
            notice_id=row.notice_id,
            decision=BenefitDecided.model_validate(row.decision),
            kind=NoticeKind(row.kind),
            language=row.language,
            state=NoticeState(row.state),
            request=SmsRequest.from_body(row.request) if row.request else None,
            encoding=row.encoding,
            segments=row.segments,
            failures=row.failures,
            outcome_unknown=row.outcome_unknown,
            message_id=row.message_id,
            traceparent=row.traceparent,
        )


@dataclass(frozen=True, slots=True)
class Planned:
    """A notice to record: not to be sent before ``send_after``; ``reason`` if skipped."""

    notice: StoredNotice
    send_after: datetime
    reason: str | None = None


class NoticeStore:
    def __init__(
        self, tables: NotifierTables, hasher: PinHasher, topic: str, metrics: NotifierMetrics
    ) -> None:
        self._t = tables
        self._hasher = hasher
        self._topic = topic
        self._metrics = metrics

    async def record_all(self, s: AsyncSession, planned: Iterable[Planned]) -> set[str]:
        """New notices, in one statement (and one more for the skipped ones' events); the
        ids of those that did not exist already."""
        by_id = {p.notice.notice_id: p for p in planned}
        if not by_id:
            return set()
        n = self._t.notices
        rows = [
            {
                "notice_id": p.notice.notice_id,
                "decision_id": p.notice.decision.decision_id,
                "kind": p.notice.kind.value,
                "recipient_pin": p.notice.recipient_pin,
                "language": p.notice.language,
                "decision": p.notice.decision.model_dump(mode="json"),
                "state": p.notice.state.value,
                "reason": p.reason,
                "send_after": p.send_after,
                "idempotency_key": p.notice.notice_id,
                "traceparent": p.notice.traceparent,
            }
            for p in by_id.values()
        ]
        stmt = insert(n).on_conflict_do_nothing().returning(n.c.notice_id)
        new = set((await s.execute(stmt, rows)).scalars())
        skipped = []
        for notice_id in new:
            p = by_id[notice_id]
            self._metrics.notice_reached(p.notice.state.value, p.notice.kind.value)
            if p.notice.state is NoticeState.SKIPPED:
                skipped.append(self._event(p.notice, p.reason, p.send_after))
        await add_to_outbox(s, self._t.outbox, skipped)
        return new

    async def transition(
        self,
        s: AsyncSession,
        notice: StoredNotice,
        event: NoticeEvent,
        now: datetime,
        reason: str | None = None,
        **values: Any,
    ) -> StoredNotice:
        """Apply ``event``; IllegalNoticeTransition if the notice's state refuses it."""
        state = next_state(notice.state, event)
        n = self._t.notices
        changes = {"state": state.value, "updated_at": func.now(), **values}
        if reason is not None:
            changes["reason"] = reason
        await s.execute(update(n).where(n.c.notice_id == notice.notice_id).values(changes))
        moved = dataclasses.replace(notice, state=state)
        if state is not notice.state:
            self._metrics.notice_reached(state.value, notice.kind.value)
            await self._publish(s, moved, reason, now)
        return moved

    async def unsent_of(self, s: AsyncSession, decision_id: str) -> list[StoredNotice]:
        """The notices of a decision never handed over (and not being handed over now)."""
        n = self._t.notices
        query = (
            select(n)
            .where(n.c.decision_id == decision_id, n.c.state == "pending", n.c.attempts == 0)
            .with_for_update(skip_locked=True)
        )
        return [StoredNotice.of(row) for row in await s.execute(query)]

    async def claim_due(self, s: AsyncSession, now: datetime) -> StoredNotice | None:
        """The next notice due at ``now``, locked until the caller's transaction ends."""
        query = self._due(now).limit(1).with_for_update(skip_locked=True)
        row = (await s.execute(query)).first()
        return StoredNotice.of(row) if row else None

    async def claim_unprepared(
        self, s: AsyncSession, now: datetime, limit: int, besides: StoredNotice
    ) -> list[StoredNotice]:
        """Up to ``limit`` more notices due at ``now`` whose bodies are not stored yet,
        locked until the caller's transaction ends (none another lane holds)."""
        n = self._t.notices
        query = (
            self._due(now)
            .where(n.c.request.is_(None), n.c.notice_id != besides.notice_id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [StoredNotice.of(row) for row in await s.execute(query)]

    async def lease(self, s: AsyncSession, notice: StoredNotice, seconds: float) -> StoredNotice:
        """Hold ``notice`` (claimed in this transaction) for a hand-over of at most
        ``seconds``: its attempt counted before the call, not due again until then."""
        n = self._t.notices
        until = await s.scalar(
            update(n)
            .where(n.c.notice_id == notice.notice_id)
            .values(
                attempts=n.c.attempts + 1,
                retry_at=func.now() + timedelta(seconds=seconds),
                updated_at=func.now(),
            )
            .returning(n.c.retry_at)
        )
        return dataclasses.replace(notice, leased_until=until)

    async def still_leased(self, s: AsyncSession, notices: Sequence[StoredNotice]) -> set[str]:
        """The ids of ``notices`` whose sender's lease holds, each locked until commit."""
        if not notices:
            return set()
        n = self._t.notices
        held = await s.scalars(
            select(n.c.notice_id)
            .where(
                tuple_(n.c.notice_id, n.c.retry_at).in_(
                    [(notice.notice_id, notice.leased_until) for notice in notices]
                ),
                n.c.state == NoticeState.PENDING.value,
            )
            .order_by(n.c.notice_id)
            .with_for_update()
        )
        return set(held)

    async def count_due(self, s: AsyncSession, now: datetime) -> int:
        query = select(func.count()).select_from(self._due(now).subquery())
        return int((await s.execute(query)).scalar_one())

    def _due(self, now: datetime) -> Any:
        n = self._t.notices
        return (
            select(n)
            .where(
                matches(n.c.state, "pending"),  # notices_next
                n.c.send_after <= now,
                or_(n.c.retry_at.is_(None), n.c.retry_at <= func.now()),
            )
            .order_by(n.c.send_after, n.c.created_at, n.c.notice_id)
        )

    async def save_prepared(self, s: AsyncSession, prepared: Mapping[str, PreparedSms]) -> None:
        """The body of every attempt of each notice (by id), fixed before the first one:
        one statement for the lot."""
        if not prepared:
            return
        n = self._t.notices
        stmt = (
            update(n)
            .where(n.c.notice_id == bindparam("v_id"), n.c.request.is_(None))
            .values(
                request=bindparam("v_request", type_=n.c.request.type),
                encoding=bindparam("v_encoding"),
                segments=bindparam("v_segments"),
                with_account=bindparam("v_with_account"),
                updated_at=func.now(),
            )
        )
        rows = [
            {
                "v_id": notice_id,
                "v_request": sms.request.body(),
                "v_encoding": sms.encoding,
                "v_segments": sms.segments,
                "v_with_account": sms.with_account,
            }
            for notice_id, sms in prepared.items()
        ]
        await s.execute(stmt, rows)

    async def retry_later(
        self, s: AsyncSession, notice: StoredNotice, error: str, delay: float, unknown: bool
    ) -> None:
        """A transient failure: the same key and body again after ``delay`` real seconds."""
        next_state(notice.state, NoticeEvent.RETRYABLE_FAILURE)
        n = self._t.notices
        await s.execute(
            update(n)
            .where(n.c.notice_id == notice.notice_id)
            .values(
                failures=n.c.failures + 1,
                outcome_unknown=notice.outcome_unknown or unknown,
                last_error=error,
                retry_at=func.now() + timedelta(seconds=delay),
                updated_at=func.now(),
            )
        )

    async def accept(
        self, s: AsyncSession, notice: StoredNotice, message_id: str, now: datetime
    ) -> StoredNotice:
        """The gateway took it: note its message id, then any report that came first."""
        await self._lock_message(s, message_id)
        accepted = await self.transition(
            s,
            notice,
            NoticeEvent.ACCEPTED,
            now,
            message_id=message_id,
            handed_over_at=now,
            retry_at=None,
            last_error=None,
        )
        accepted = dataclasses.replace(accepted, message_id=message_id)
        r = self._t.delivery_reports
        reports = await s.execute(select(r).where(r.c.message_id == message_id).order_by(r.c.id))
        for report in reports.all():
            accepted = await self._settle(s, accepted, report.status, report.error, report.at, now)
        return accepted

    async def take_report(
        self,
        s: AsyncSession,
        message_id: str,
        status: str,
        error: str | None,
        at: datetime,
        now: datetime,
    ) -> StoredNotice | None:
        """Keep a delivery report; apply it to its notice if the message id is known yet."""
        await self._lock_message(s, message_id)
        r, n = self._t.delivery_reports, self._t.notices
        await s.execute(
            insert(r)
            .values(message_id=message_id, status=status, error=error, at=at)
            .on_conflict_do_nothing()
        )
        row = (
            await s.execute(select(n).where(n.c.message_id == message_id).with_for_update())
        ).first()
        if row is None:
            return None
        return await self._settle(s, StoredNotice.of(row), status, error, at, now)

    async def overdue(self, s: AsyncSession, handed_over_before: datetime) -> list[StoredNotice]:
        """Accepted notices whose delivery report has not come in time."""
        n = self._t.notices
        query = (
            select(n)
            .where(n.c.state == "accepted", n.c.handed_over_at < handed_over_before)
            .limit(500)
            .with_for_update(skip_locked=True)
        )
        return [StoredNotice.of(row) for row in await s.execute(query)]

    async def _settle(
        self,
        s: AsyncSession,
        notice: StoredNotice,
        status: str,
        error: str | None,
        at: datetime,
        now: datetime,
    ) -> StoredNotice:
        try:
            return await self.transition(
                s, notice, report_event(status), now, reason=error, reported_at=at
            )
        except IllegalNoticeTransition:
            return notice  # a later, different report: the first final one stands

    async def _lock_message(self, s: AsyncSession, message_id: str) -> None:
        """Acceptance and report of one message id are applied one after the other."""
        await s.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:m))"), {"m": f"sms:{message_id}"}
        )

    async def _publish(
        self, s: AsyncSession, notice: StoredNotice, reason: str | None, now: datetime
    ) -> None:
        await add_to_outbox(s, self._t.outbox, [self._event(notice, reason, now)])

    def _event(self, notice: StoredNotice, reason: str | None, now: datetime) -> OutgoingEvent:
        changed = NoticeChanged(
            notice_id=notice.notice_id,
            decision_id=notice.decision.decision_id,
            kind=notice.kind.value,
            language=notice.language,
            state=notice.state.value,
            encoding=notice.encoding,
            segments=notice.segments,
            reason=reason,
            text=notice.request.text if notice.request else None,
        )
        pin = notice.recipient_pin
        subject = self._hasher.digest(pin) if pin else None
        key = self._hasher.kafka_key(pin) if pin else notice.notice_id.encode()
        event = changed.to_cloudevent(SOURCE, now, subject)
        return OutgoingEvent(self._topic, key, event, parent=notice.traceparent)
