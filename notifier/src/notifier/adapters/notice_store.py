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
from typing import Any, Protocol

from benefits_shared.contracts.decisions import BenefitDecided
from benefits_shared.contracts.notices import NoticeChanged
from benefits_shared.db.outbox import OutgoingEvent, add_to_outbox
from benefits_shared.db.partial_indexes import matches
from benefits_shared.db.row_arrays import arrays, insert_rows, one_each, unnested
from benefits_shared.pin import PinHasher
from sqlalchemy import (
    ARRAY,
    Boolean,
    DateTime,
    Integer,
    Row,
    String,
    Text,
    any_,
    bindparam,
    func,
    or_,
    select,
    text,
    tuple_,
    update,
)
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
#: The advisory locks of a batch's message ids, in their order: the subquery is sorted
#: before the locks are taken (a sorted subquery is not flattened into the outer query).
_LOCK_MESSAGES = text(
    "SELECT pg_advisory_xact_lock(hashtext('sms:' || m)) FROM "
    '(SELECT m FROM unnest(CAST(:ids AS text[])) AS m ORDER BY m COLLATE "C") AS ordered'
)
_AT = DateTime(timezone=True)


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


def with_body(notice: StoredNotice, sms: PreparedSms) -> StoredNotice:
    """``notice`` as it reads once ``sms`` is stored as its body (``save_prepared``)."""
    return dataclasses.replace(
        notice, request=sms.request, encoding=sms.encoding, segments=sms.segments
    )


@dataclass(frozen=True, slots=True)
class HandedOver:
    """A notice the gateway took under ``message_id`` at ``at``."""

    notice: StoredNotice
    message_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ReportIn:
    """A delivery report as the gateway sent it (``message_id`` stripped)."""

    message_id: str
    status: str
    error: str | None
    at: datetime


class _Report(Protocol):
    """A delivery report: one that comes in (``ReportIn``) or one kept (a row)."""

    @property
    def message_id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def error(self) -> str | None: ...
    @property
    def at(self) -> datetime: ...


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
        # built once: a statement's cache key is computed once per object
        self._prepared = self._prepared_rows()
        self._accepted = self._accepted_rows()
        self._reported = self._reported_rows()
        self._kept = self._kept_reports()

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

    async def claim_due(self, s: AsyncSession, now: datetime, most: int) -> list[StoredNotice]:
        """Up to ``most`` notices due at ``now``, in the order they fell due, locked until
        the caller's transaction ends (none another sender holds)."""
        query = self._due(now).limit(most).with_for_update(skip_locked=True)
        return [StoredNotice.of(row) for row in await s.execute(query)]

    async def claim_unprepared(
        self, s: AsyncSession, now: datetime, limit: int, besides: Sequence[StoredNotice]
    ) -> list[StoredNotice]:
        """Up to ``limit`` more notices due at ``now`` whose bodies are not stored yet,
        locked until the caller's transaction ends (none another lane holds)."""
        n = self._t.notices
        query = (
            self._due(now)
            .where(n.c.request.is_(None), n.c.notice_id.not_in([b.notice_id for b in besides]))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [StoredNotice.of(row) for row in await s.execute(query)]

    async def lease(
        self, s: AsyncSession, notices: Sequence[StoredNotice], seconds: float
    ) -> list[StoredNotice]:
        """Hold ``notices`` (claimed in this transaction) for hand-overs of at most
        ``seconds``: each attempt counted before its call, none due again until then. One
        statement for them all."""
        if not notices:
            return []
        n = self._t.notices
        leased = await s.execute(
            update(n)
            .where(n.c.notice_id == any_(self._ids([x.notice_id for x in notices])))
            .values(
                attempts=n.c.attempts + 1,
                retry_at=func.now() + timedelta(seconds=seconds),
                updated_at=func.now(),
            )
            .returning(n.c.notice_id, n.c.retry_at)
        )
        until: dict[str, datetime] = {notice_id: at for notice_id, at in leased}
        return [dataclasses.replace(x, leased_until=until[x.notice_id]) for x in notices]

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
        rows = [
            {
                "notice_id": notice_id,
                "request": sms.request.body(),
                "encoding": sms.encoding,
                "segments": sms.segments,
                "with_account": sms.with_account,
            }
            for notice_id, sms in prepared.items()
        ]
        await s.execute(self._prepared, arrays("v", rows))

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

    async def accept_all(self, s: AsyncSession, handed: Sequence[HandedOver]) -> None:
        """The gateway took each notice under its message id: one statement for their rows
        and one for their events however many, then the reports that came in before their
        acceptance (a quick gateway's are often there first), applied as ``take_reports``
        applies reports: a few statements for the lot, each notice's in the order they came."""
        if not handed:
            return
        await self._lock_messages(s, [h.message_id for h in handed])
        by_message = {h.message_id: h for h in handed}
        moved = {
            message_id: dataclasses.replace(
                h.notice,
                state=next_state(h.notice.state, NoticeEvent.ACCEPTED),
                message_id=message_id,
            )
            for message_id, h in by_message.items()
        }
        rows = [
            {"notice_id": h.notice.notice_id, "message_id": h.message_id, "at": h.at}
            for h in handed
        ]  # a notice accepted twice in the lot: its last acceptance stands, as row by row
        await s.execute(self._accepted, arrays("v", one_each(rows, "notice_id", last=True)))
        events = []
        for h in handed:
            accepted = moved[h.message_id]
            if accepted.state is not h.notice.state:
                self._metrics.notice_reached(accepted.state.value, accepted.kind.value)
                events.append(self._event(accepted, None, h.at))
        await add_to_outbox(s, self._t.outbox, events)
        r = self._t.delivery_reports
        early = await s.execute(
            select(r).where(r.c.message_id == any_(self._ids(list(moved)))).order_by(r.c.id)
        )
        # a report's event is stamped with its notice's acceptance, when it is applied
        applied = [(report, by_message[report.message_id].at) for report in early.all()]
        await self._apply_reports(s, moved, applied)

    async def take_reports(
        self, s: AsyncSession, reports: Sequence[ReportIn], now: datetime
    ) -> None:
        """Keep delivery reports, and apply each, in the order given, to its notice if its
        message id is known yet: a few statements for the lot. A duplicate, or a later
        different final report, changes nothing (the first final one stands)."""
        if not reports:
            return
        await self._lock_messages(s, [report.message_id for report in reports])
        n = self._t.notices
        kept = [
            {"message_id": x.message_id, "status": x.status, "error": x.error, "at": x.at}
            for x in reports
        ]
        await s.execute(self._kept, arrays("v", kept))
        ids = self._ids(list({x.message_id: None for x in reports}))
        found = await s.execute(
            select(n).where(n.c.message_id == any_(ids)).order_by(n.c.notice_id).with_for_update()
        )
        notices = {row.message_id: StoredNotice.of(row) for row in found}
        await self._apply_reports(s, notices, [(report, now) for report in reports])

    async def _apply_reports(
        self,
        s: AsyncSession,
        notices: Mapping[str, StoredNotice],
        reports: Sequence[tuple[_Report, datetime]],
    ) -> None:
        """Apply each report, in the order given, to the notice of its message id in
        ``notices`` (as read in this transaction, locked): one statement for the rows and
        one for their events, as one by one would have written them. A report of an id
        not there waits for its acceptance; a duplicate, or a later different final report,
        changes nothing (the first final one stands). Each report comes with the time its
        event is stamped with."""
        notices = dict(notices)
        writes: dict[str, dict[str, Any]] = {}
        events = []
        for report, now in reports:
            notice = notices.get(report.message_id)
            if notice is None:
                continue  # not accepted yet: its acceptance applies the kept report
            try:
                state = next_state(notice.state, report_event(report.status))
            except IllegalNoticeTransition:
                continue  # a later, different report: the first final one stands
            earlier = writes.get(notice.notice_id, {}).get("reason")
            reason = report.error if report.error is not None else earlier
            writes[notice.notice_id] = {
                "notice_id": notice.notice_id,
                "state": state.value,
                "reason": reason,
                "reported_at": report.at,
            }
            if state is not notice.state:
                notices[report.message_id] = notice = dataclasses.replace(notice, state=state)
                self._metrics.notice_reached(state.value, notice.kind.value)
                events.append(self._event(notice, report.error, now))
        if writes:
            await s.execute(self._reported, arrays("v", list(writes.values())))
        await add_to_outbox(s, self._t.outbox, events)

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

    async def _lock_messages(self, s: AsyncSession, message_ids: Sequence[str]) -> None:
        """Acceptance and report of one message id are applied one after the other. The
        locks of a batch are taken in the order of their message ids (byte order, as
        Python sorts them), so that two batches never wait for each other crosswise."""
        await s.execute(_LOCK_MESSAGES, {"ids": sorted(set(message_ids))})

    def _ids(self, values: Sequence[str]) -> Any:
        return bindparam("ids", values, type_=ARRAY(String))

    def _prepared_rows(self) -> Any:
        """The bodies of notices not yet prepared (``save_prepared``): one statement."""
        n = self._t.notices
        v = unnested(
            "v",
            notice_id=String(),
            request=n.c.request.type,
            encoding=String(),
            segments=Integer(),
            with_account=Boolean(),
        )
        return (
            update(n)
            .where(n.c.notice_id == v.c.notice_id, n.c.request.is_(None))
            .values(
                request=v.c.request,
                encoding=v.c.encoding,
                segments=v.c.segments,
                with_account=v.c.with_account,
                updated_at=func.now(),
            )
        )

    def _accepted_rows(self) -> Any:
        """The rows of the notices the gateway took (``accept_all``): one statement."""
        n = self._t.notices
        v = unnested("v", notice_id=String(), message_id=String(), at=_AT)
        return (
            update(n)
            .where(n.c.notice_id == v.c.notice_id)
            .values(
                state=NoticeState.ACCEPTED.value,
                message_id=v.c.message_id,
                handed_over_at=v.c.at,
                retry_at=None,
                last_error=None,
                updated_at=func.now(),
            )
        )

    def _reported_rows(self) -> Any:
        """The rows of the notices reports settled (``take_reports``): one statement."""
        n = self._t.notices
        v = unnested("v", notice_id=String(), state=String(), reason=Text(), reported_at=_AT)
        return (
            update(n)
            .where(n.c.notice_id == v.c.notice_id)
            .values(
                state=v.c.state,
                reason=func.coalesce(v.c.reason, n.c.reason),
                reported_at=v.c.reported_at,
                updated_at=func.now(),
            )
        )

    def _kept_reports(self) -> Any:
        """The delivery reports, kept in the order given (``take_reports``)."""
        columns = ["message_id", "status", "error", "at"]
        return insert_rows(self._t.delivery_reports, columns).on_conflict_do_nothing()

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
