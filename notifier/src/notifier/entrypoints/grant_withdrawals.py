"""``PaymentCancelled`` in the notifier's Kafka handler (its transaction): the assignment
notices of the cancelled grant not sent are skipped; a person already told gets one
``*_withdrawn`` notice (see :mod:`notifier.grant_withdrawal`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from benefits_shared.contracts.decisions import BenefitDecided
from benefits_shared.contracts.payments import PaymentCancelled
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notifier.adapters.notice_store import NoticeStore, StoredNotice
from notifier.adapters.tables import NotifierTables
from notifier.grant_withdrawal import WITHDRAWAL, Announcement, withdrawal_plan
from notifier.notice_kinds import NoticeKind
from notifier.notice_states import NoticeEvent, NoticeState

RecordNotice = Callable[[AsyncSession, BenefitDecided, NoticeKind, datetime], Awaitable[None]]


class GrantWithdrawals:
    def __init__(self, tables: NotifierTables, notices: NoticeStore, record: RecordNotice) -> None:
        """``record``: how the handler records a decision's notice of a kind (its checks)."""
        self._t = tables
        self._notices = notices
        self._record = record

    async def cancelled(self, s: AsyncSession, cancelled: PaymentCancelled, now: datetime) -> None:
        stored = await self._announcements(s, cancelled)
        plan = withdrawal_plan(cancelled, [a for a, _ in stored])
        by_id = {a.notice_id: notice for a, notice in stored}
        reason = f"its payment was cancelled before it was sent ({cancelled.reason})"
        for announcement in plan.skip:
            await self._notices.transition(
                s, by_id[announcement.notice_id], NoticeEvent.SKIPPED, now, reason
            )
        if plan.tell is not None:
            await self._tell(s, by_id[plan.tell.notice_id], now)

    async def _announcements(
        self, s: AsyncSession, cancelled: PaymentCancelled
    ) -> list[tuple[Announcement, StoredNotice]]:
        """The grant assignment notices of the case to the payment's recipient, oldest
        first: locked until commit (read after the lock, so their state is current), but
        those the sender holds now, which are being handed over."""
        n = self._t.notices
        query = (
            select(n)
            .where(
                n.c.recipient_pin == cancelled.recipient_pin,
                n.c.kind.in_([k.value for k in WITHDRAWAL]),
                n.c.decision["case_id"].astext == cancelled.case_id,
            )
            .order_by(n.c.created_at, n.c.notice_id)
        )
        held = {r.notice_id: r for r in await s.execute(query.with_for_update(skip_locked=True))}
        out = []
        for row in await s.execute(query):
            current = held.get(row.notice_id, row)
            notice = StoredNotice.of(current)
            announcement = Announcement(
                notice.notice_id,
                notice.decision.decision_id,
                notice.kind,
                NoticeState(current.state),
                current.attempts > 0,
                row.notice_id not in held,
            )
            out.append((announcement, notice))
        return out

    async def _tell(self, s: AsyncSession, told: StoredNotice, now: datetime) -> None:
        await self._record(s, told.decision, WITHDRAWAL[told.kind], now)
