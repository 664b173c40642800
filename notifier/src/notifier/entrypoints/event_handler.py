"""The notifier's Kafka handler: it records notices, it never sends.

In one PostgreSQL transaction per batch: the inbox claims the batch's event ids; the
recipients of its decisions and accounts are locked, so that another instance's batch
never plans a notice of theirs while their account is being recorded (or the other way
round); person records and open accounts are kept; each decision that calls for a notice
gets one row (pending, or skipped with the reason), and a decision that supersedes another
withdraws the older one's notices not handed over yet; a grant payment cancelled
(``PaymentCancelled``) skips its unsent announcement or takes a sent one back
(``grant_withdrawals``). ``NoticeChanged`` events go to the outbox in the same
transaction. The sender (``send_worker``) hands the pending ones over.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from benefits_shared import tracing
from benefits_shared.clock import Clock
from benefits_shared.contracts.decisions import BenefitDecided, decision_event_id
from benefits_shared.contracts.payments import AccountOpened, PaymentCancelled
from benefits_shared.contracts.persons import PersonRecord
from benefits_shared.db.inbox import claim_new
from benefits_shared.doorbell import Doorbell
from benefits_shared.kafka.consumer_loop import Delivery
from benefits_shared.service_runtime import Received
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier.adapters.mirror_store import MirrorStore
from notifier.adapters.notice_store import NoticeStore, Planned, StoredNotice
from notifier.adapters.tables import NotifierTables
from notifier.entrypoints.grant_withdrawals import GrantWithdrawals
from notifier.grant_withdrawal import takes_back
from notifier.notice_fields import reference_of
from notifier.notice_ids import notice_id
from notifier.notice_kinds import NoticeKind, notice_kind
from notifier.notice_plan import plan_notice
from notifier.notice_states import NoticeEvent
from notifier.reachability import language_of, recipient_pin

#: The types ``handle`` applies; its consumer does not read the others' values (a payment
#: submitted or settled is the gateway's and the engine's business, not a notice's).
APPLIES = (PersonRecord, AccountOpened, BenefitDecided, PaymentCancelled)


class EventHandler:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        tables: NotifierTables,
        notices: NoticeStore,
        clock: Clock,
        account_wait: timedelta,
        doorbell: Doorbell | None = None,
    ) -> None:
        self._sessions = sessions
        self._doorbell = doorbell or Doorbell()  # the senders' (bootstrap)
        self._t = tables
        self._notices = notices
        self._mirror = MirrorStore(tables)
        self._clock = clock
        self._account_wait = account_wait
        self._withdrawals = GrantWithdrawals(tables, notices, self.record)

    async def handle(self, batch: Sequence[Delivery[Received]]) -> None:
        async with self._sessions.begin() as s:
            applied = [d for d in batch if d.message.payload is not None]
            new = await claim_new(s, self._t.inbox, [d.message.event.id for d in applied])
            fresh = [d.message.payload for d in applied if d.message.event.id in new]
            await self._mirror.lock_recipients(s, map(recipient_of, fresh))
            await self.apply(s, fresh, self._clock.now())
        if fresh:  # a notice recorded, or one released by an account, may be due now
            self._doorbell.ring()

    async def apply(self, s: AsyncSession, payloads: Sequence[object], now: datetime) -> None:
        """The events' effects, in the caller's transaction. The mirrors first, so each
        decision is planned knowing every person and account the batch brings; set-based,
        a few statements a batch however large."""
        await self._mirror.record_persons(s, (p for p in payloads if isinstance(p, PersonRecord)))
        opened = (p for p in payloads if isinstance(p, AccountOpened))
        await self._mirror.record_accounts(s, opened, now)
        await self._notices_of(s, payloads, now)

    async def _notices_of(self, s: AsyncSession, payloads: Sequence[object], now: datetime) -> None:
        """The notices the batch's decisions call for, recorded together; those recorded so
        far go in before a withdrawal reads them (a decision superseded, or a grant's
        payment cancelled, in the same batch)."""
        wanted: list[tuple[BenefitDecided, NoticeKind]] = []
        for payload in payloads:
            match payload:
                case BenefitDecided():
                    if payload.supersedes:
                        await self.record_all(s, wanted, now)
                        wanted = []
                        await self._withdraw(s, payload.supersedes, reference_of(payload), now)
                    if (kind := notice_kind(payload)) is not None:
                        wanted.append((payload, kind))
                case PaymentCancelled():
                    await self.record_all(s, wanted, now)
                    wanted = []
                    await self._withdrawals.cancelled(s, payload, now)
        await self.record_all(s, wanted, now)

    async def record(
        self, s: AsyncSession, decision: BenefitDecided, kind: NoticeKind, now: datetime
    ) -> None:
        """The notice of ``kind`` for ``decision``: pending, or skipped with the reason."""
        await self.record_all(s, [(decision, kind)], now)

    async def record_all(
        self,
        s: AsyncSession,
        wanted: Sequence[tuple[BenefitDecided, NoticeKind]],
        now: datetime,
    ) -> None:
        """Each decision's notice of its kind, planned from what the mirrors know of its
        recipient: three statements however many."""
        if not wanted:
            return
        pins = [pin for d, _ in wanted if (pin := recipient_pin(d)) is not None]
        persons = await self._mirror.persons(s, pins)
        accounts = await self._mirror.accounts(s, pins)
        planned = []
        for decision, kind in wanted:
            pin = recipient_pin(decision)
            mirrored = persons.get(pin) if pin else None
            account = accounts.get(pin) if pin else None
            plan = plan_notice(decision, kind, mirrored, account, now, self._account_wait)
            notice = StoredNotice(
                notice_id(decision.decision_id, kind),
                decision,
                kind,
                language_of(decision.recipient, mirrored),
                plan.state,
                traceparent=tracing.cause_of(decision_event_id(decision.decision_id)),
            )
            planned.append(Planned(notice, plan.send_after, plan.reason))
        await self._notices.record_all(s, planned)

    async def _withdraw(self, s: AsyncSession, superseded: str, by: str, now: datetime) -> None:
        """A later decision of the case: its predecessor's notices not sent yet never go."""
        for notice in await self._notices.unsent_of(s, superseded):
            if takes_back(notice.kind):
                continue  # it says the superseded decision's grant will not be paid: it stands
            reason = f"superseded by decision {by} before it was sent"
            await self._notices.transition(s, notice, NoticeEvent.SKIPPED, now, reason)


def recipient_of(payload: object) -> str | None:
    """Whose notices or account the event may change (the recipient lock's key)."""
    match payload:
        case AccountOpened():
            return payload.recipient_pin
        case BenefitDecided():
            return recipient_pin(payload)
    return None
