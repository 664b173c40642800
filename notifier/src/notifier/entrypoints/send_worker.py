"""The sender: hands due notices to the SMS gateway, several at once, until stopped.

``run`` keeps ``lanes`` lanes (``window.maximum`` unless given), of which ``window.size``
may be inside a pass at once (``send_window``: it widens while the gateway answers quickly
and halves on ``429``). A lane whose call hangs until its time-out holds up no other (ADR
18): a hand-over slower than a quick answer gives its place in the window back while it
waits (the lanes still bound the calls in flight), and it holds no database connection
and no lock meanwhile. Every hand-over gives its place back once the gateway has answered,
before its outcome is written: the window measures the gateway, not our commits.

Each pass, with the notifier's clock (``NOTIFIER_FIXED_TIME`` pins it):

1. overdue reports: accepted notices without a delivery report for too long → unknown;
2. quiet hours (22:00–09:00 Baku): nothing is handed over, due notices are held;
3. an open circuit breaker or the pacer (the gateway's rate limit, and its ``Retry-After``
   when most of its last answers were 429s) say how long to wait;
4. the next due notice is claimed (``FOR UPDATE SKIP LOCKED``: no two lanes or processes
   hold one notice), with those of the other lanes that look for one at the same moment
   (``SharedCall``: one transaction for them all), and checked again: a dead recipient or
   a lost phone stops it. A notice not yet prepared gets its body (phone, text,
   encoding, segments) stored in that transaction, with those of up to
   ``PREPARE_AT_ONCE`` − 1 other due notices not prepared yet (one statement for them
   all, not one each), so its body is committed before its first call; every attempt
   sends that body with the notice id as ``Idempotency-Key``, at the instant the pacer
   booked for it;
5. to hand a prepared notice over, the lane leases it (``NoticeStore.lease``: the attempt
   counted, not due again for the call's longest time plus a margin; the notices claimed
   together are leased by one statement) and commits, calls
   the gateway, and writes the outcome if the lease is still its own: outcomes that come
   in while others are being written share the next transaction (group commit, in the
   order of their message ids, as the delivery reports are), and the lane goes on once its
   own is committed. A lane killed mid-call leaves the notice to the next one after the
   lease, which asks again with the same key: the gateway takes it once.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from benefits_shared import tracing
from benefits_shared.circuit_breaker import CircuitBreaker
from benefits_shared.clock import Clock
from benefits_shared.db.group_commit import GroupCommit
from benefits_shared.doorbell import Doorbell
from benefits_shared.outages import Backoff, riding_out
from benefits_shared.retry_policies import RetryPolicy
from benefits_shared.shared_calls import SharedCall
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier.adapters.mirror_store import MirrorStore
from notifier.adapters.notice_store import HandedOver, NoticeStore, StoredNotice, with_body
from notifier.adapters.parking import Parking
from notifier.adapters.sms_gateway import Accepted, SmsSender
from notifier.errors import (
    GatewayRateLimited,
    GatewayRefused,
    GatewayTryLater,
    NoticeNotRenderable,
    OutcomeUnknown,
)
from notifier.metrics import NotifierMetrics
from notifier.notice_states import NoticeEvent
from notifier.outgoing_sms import PreparedSms, Sending, prepare
from notifier.pacing import Pacer
from notifier.quiet_hours import is_quiet
from notifier.reachability import Contact, MirroredPerson, Unreachable, contact_of
from notifier.send_window import SendWindow

log = logging.getLogger(__name__)
SWEEP_EVERY_SECONDS = 5.0
#: Notices whose bodies a lane stores in one transaction when it finds one not prepared
#: (each is still handed over in a transaction of its own).
PREPARE_AT_ONCE = 32
OUTAGE_PAUSE_S, OUTAGE_PAUSE_MAX_S = 0.2, 5.0
#: A lease outlasts its hand-over's longest call by this much (the outcome's transaction).
LEASE_MARGIN_SECONDS = 5.0
#: Whether this lane (each lane is its own task) still holds its place in the window.
_HOLDS_PLACE: contextvars.ContextVar[list[bool]] = contextvars.ContextVar("holds_place")


@dataclass(frozen=True, slots=True)
class _Outcome:
    """A hand-over's outcome to write if the lease holds: the gateway took the notice
    (``accepted``), or ``write`` says what else came of it."""

    notice: StoredNotice
    write: Callable[[AsyncSession], Awaitable[object]] | None = None
    accepted: HandedOver | None = None


@dataclass(frozen=True, slots=True)
class _Claim:
    """A notice leased to a lane, to hand over after ``wait`` seconds (the pacer's)."""

    notice: StoredNotice
    wait: float


@dataclass(frozen=True, slots=True)
class SendPolicy:
    pacer: Pacer
    breaker: CircuitBreaker
    retry: RetryPolicy
    report_wait: timedelta
    idle_seconds: float
    #: Failed hand-overs in a row after which a notice is parked (0: never; ADR 12).
    max_attempts: int = 0
    #: Hand-overs in flight at once; one unless given (ADR 18).
    window: SendWindow = field(default_factory=lambda: SendWindow(1, time.monotonic))
    #: Hand-overs in flight in all, those that hang included (the window's ceiling if 0).
    lanes: int = 0
    #: The longest a hand-over may take in all; its lease lasts that much longer.
    call_seconds: float = 15.0

    @property
    def lease_seconds(self) -> float:
        """How long a sender holds a notice for one hand-over (after the pacer's wait)."""
        return self.call_seconds + LEASE_MARGIN_SECONDS


class SendWorker:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        notices: NoticeStore,
        mirror: MirrorStore,
        gateway: SmsSender,
        clock: Clock,
        sending: Sending,
        policy: SendPolicy,
        metrics: NotifierMetrics,
        parking: Parking | None = None,
        doorbell: Doorbell | None = None,
    ) -> None:
        self._sessions = sessions
        self._doorbell = doorbell or Doorbell()  # rung by the consumer (bootstrap)
        self._parking = parking
        self._notices = notices
        self._mirror = mirror
        self._gateway = gateway
        self._clock = clock
        self._sending = sending
        self._p = policy
        self._metrics = metrics
        self._stopping = asyncio.Event()
        self._outage = Backoff(OUTAGE_PAUSE_S, OUTAGE_PAUSE_MAX_S)  # shared by the lanes
        self._swept_at = float("-inf")
        self._in_flight = 0
        self._freed = asyncio.Event()
        self._outcomes = GroupCommit(sessions, self._write_outcomes)
        self._claims = SharedCall(self._claim)

    def stop(self) -> None:
        self._stopping.set()
        self._freed.set()

    async def run(self) -> None:
        """The lanes, until ``stop()``; a lane that fails ends them all (and the service)."""
        async with asyncio.TaskGroup() as lanes:
            for n in range(self._p.lanes or self._p.window.maximum):
                lanes.create_task(self._lane(), name=f"send-lane-{n}")

    async def _lane(self) -> None:
        while await self._enter():
            holds = [True]
            _HOLDS_PLACE.set(holds)
            try:
                wait = await self._step_riding_out()
            finally:
                if holds[0]:
                    self._leave_window()
            if wait > 0:
                await self._doorbell.sleep(wait, self._stopping)

    async def _step_riding_out(self) -> float:
        """A step; while PostgreSQL is away, a pause that grows (the tracker says so once,
        ADR 0021). A step cut off by the database rolls back: the notice is claimed again
        later and handed over with the request (and idempotency key) stored before."""
        return await riding_out(self.step, self._outage)

    def _leave_window(self) -> None:
        self._in_flight -= 1
        self._freed.set()

    def _give_place_back(self) -> None:
        """A hand-over slower than a quick answer (a hang, a time-out) frees its place in
        the window while it waits: the window measures the gateway, a hang does not load it.
        The lanes still bound the calls in flight."""
        holds = _HOLDS_PLACE.get(None)
        if holds is not None and holds[0]:
            holds[0] = False
            self._leave_window()

    async def _enter(self) -> bool:
        """Wait for a place in the window; False once stopping."""
        while self._in_flight >= self._p.window.size and not self._stopping.is_set():
            self._freed.clear()
            await self._freed.wait()
        if self._stopping.is_set():
            return False
        self._in_flight += 1
        return True

    async def step(self) -> float:
        """One pass; returns how long to wait before the next."""
        await self._sweep_overdue()
        if is_quiet(self._clock.now()):
            return await self._hold_for_quiet_hours()
        wait = max(self._p.breaker.seconds_until_probe(), self._p.pacer.wait_seconds())
        if wait > 0:
            return wait
        return await self._next()

    async def _hold_for_quiet_hours(self) -> float:
        async with self._sessions() as s:
            self._metrics.held_for_quiet_hours(await self._notices.count_due(s, self._clock.now()))
        return self._p.idle_seconds

    async def _next(self) -> float:
        """Claim a due notice, with the lanes that look for one at the same moment (one
        transaction for them all), and hand it over."""
        claim = await self._claims.ask()
        if isinstance(claim, _Claim):
            await self._hand_over(claim.notice, claim.wait)  # committed: no connection held
            return 0.0
        return claim

    async def _claim(self, lanes: int) -> list[_Claim | float]:
        """Up to ``lanes`` due notices claimed and leased in one transaction, one for each
        lane asking; a lane left without one is told how long to wait (none if others
        were found: there may be more)."""
        now = self._clock.now()
        async with self._sessions.begin() as s:
            due = await self._notices.claim_due(s, now, lanes)
            if not due:
                return [self._p.idle_seconds] * lanes
            self._doorbell.ring()  # there may be more: one more lane looks
            unprepared = [notice for notice in due if notice.request is None]
            more = []
            if unprepared:
                room = max(0, PREPARE_AT_ONCE - len(unprepared))
                more = await self._notices.claim_unprepared(s, now, room, unprepared)
            pins = [pin for n in [*due, *more] if (pin := n.recipient_pin) is not None]
            persons = await self._mirror.persons(s, pins)
            if unprepared:
                bodies = await self._prepare_all(s, [*unprepared, *more], persons)
                due = [
                    with_body(n, bodies[n.notice_id]) if n.notice_id in bodies else n for n in due
                ]
            ready = [notice for notice in due if notice.request is not None]
            reachable, waits = [], []
            for notice in ready:
                pin = notice.recipient_pin
                if await self._reach(s, notice, persons.get(pin) if pin else None) is None:
                    continue
                reachable.append(notice)
                waits.append(self._p.pacer.reserve())
            lease = max(waits, default=0.0) + self._p.lease_seconds
            leased = await self._notices.lease(s, reachable, lease)
        claims: list[_Claim | float] = [
            _Claim(notice, wait) for notice, wait in zip(leased, waits, strict=True)
        ]
        return [*claims, *[0.0] * (lanes - len(claims))]

    async def _reach(
        self, s: AsyncSession, notice: StoredNotice, mirrored: MirroredPerson | None
    ) -> Contact | None:
        contact = contact_of(notice.decision.recipient, mirrored)
        if isinstance(contact, Unreachable):
            await self._stop_unreachable(s, notice, contact)
            return None
        return contact

    async def _stop_unreachable(
        self, s: AsyncSession, notice: StoredNotice, why: Unreachable
    ) -> None:
        if notice.outcome_unknown:
            reason = f"{why.reason}; an earlier attempt's outcome is unknown"
            await self._move(s, notice, NoticeEvent.ABANDONED, reason)
        else:
            await self._move(s, notice, NoticeEvent.SKIPPED, why.reason)

    async def _prepare_all(
        self,
        s: AsyncSession,
        notices: Sequence[StoredNotice],
        persons: Mapping[str, MirroredPerson],
    ) -> dict[str, PreparedSms]:
        """Fix the bodies of ``notices`` from what is known of their recipients now (their
        ``persons`` as read in this transaction): one read and one write for the lot (and
        a move for each that cannot go). The bodies stored, by notice id."""
        pins = [pin for n in notices if (pin := n.recipient_pin) is not None]
        accounts = await self._mirror.accounts(s, pins)
        prepared: dict[str, PreparedSms] = {}
        for notice in notices:
            pin = notice.recipient_pin
            contact = await self._reach(s, notice, persons.get(pin) if pin else None)
            if contact is None:
                continue
            account = accounts.get(pin) if pin else None
            try:
                sms = prepare(notice.decision, notice.kind, contact, account, self._sending)
            except NoticeNotRenderable as exc:
                await self._move(s, notice, NoticeEvent.SKIPPED, f"no text can be made: {exc}")
                continue
            prepared[notice.notice_id] = sms
        await self._notices.save_prepared(s, prepared)
        return prepared

    async def _hand_over(self, notice: StoredNotice, wait: float) -> None:
        assert notice.request is not None
        await asyncio.sleep(wait)
        began, since = time.monotonic(), self._p.breaker.now()
        slow_after = self._p.window.slow_after()
        slow = asyncio.get_running_loop().call_later(slow_after, self._give_place_back)
        try:
            with tracing.within(notice.traceparent):
                accepted = await self._submit(notice, slow)
        except GatewayRefused as exc:
            self._count("refused")
            self._answered(began, since)
            reason = str(exc)
            refused = _Outcome(notice, lambda s: self._move(s, notice, NoticeEvent.REFUSED, reason))
            await self._outcomes.write(refused)
        except GatewayTryLater as exc:
            self._failed(exc, since)
            failure = exc
            later = _Outcome(notice, lambda s: self._retry_later(s, notice, failure))
            await self._outcomes.write(later)
        else:
            self._count("replayed" if accepted.replayed else "accepted")
            self._answered(began, since)
            self._observe(notice, accepted.acceptance.segments)
            taken = HandedOver(notice, accepted.acceptance.message_id, self._clock.now())
            await self._outcomes.write(_Outcome(notice, accepted=taken))

    async def _write_outcomes(self, s: AsyncSession, outcomes: Sequence[_Outcome]) -> None:
        """Write each hand-over's outcome if the lease is still this sender's. If it ran
        out (the process stalled past it), the next holder asks the gateway again with the
        same key and records its answer: this one is dropped."""
        leased = await self._notices.still_leased(s, [o.notice for o in outcomes])
        accepted = []
        for outcome in outcomes:
            if outcome.notice.notice_id not in leased:
                log.warning("a hand-over outlived its lease; its outcome is left to the next")
            elif outcome.accepted is not None:
                accepted.append(outcome.accepted)
            elif outcome.write is not None:
                await outcome.write(s)
        await self._notices.accept_all(s, accepted)

    def _failed(self, exc: GatewayTryLater, since: float) -> None:
        """What the pacer, the window and the breaker learn from a failed hand-over."""
        if isinstance(exc, GatewayRateLimited):
            self._count("rate_limited")
            self._p.pacer.rate_limited(exc.retry_after)
            self._p.window.rate_limited()
        elif isinstance(exc, OutcomeUnknown):
            self._count("unknown_outcome")
            self._p.breaker.timed_out(since)
        else:
            self._count("unavailable")
            self._p.pacer.answered()
            self._p.breaker.failed()

    async def _retry_later(
        self, s: AsyncSession, notice: StoredNotice, exc: GatewayTryLater
    ) -> None:
        retry_after = exc.retry_after if isinstance(exc, GatewayRateLimited) else None
        if retry_after is None and self._attempts_spent(notice):
            await self._park(s, notice, exc)
            return
        answering = self._p.breaker.answering()  # then the backoff does not grow (ADR 14)
        delay = self._p.retry.delay(notice.failures + 1, retry_after, answering)
        log.warning("hand-over failed", extra={"error": str(exc), "retry_in_s": round(delay, 2)})
        unknown = isinstance(exc, OutcomeUnknown)
        await self._notices.retry_later(s, notice, str(exc), delay, unknown)

    async def _submit(self, notice: StoredNotice, slow: asyncio.TimerHandle) -> Accepted:
        """The call, within ``call_seconds`` in all (the HTTP client's time-out is per read
        or write): past it the outcome is unknown, well before the lease ends."""
        assert notice.request is not None
        try:
            async with asyncio.timeout(self._p.call_seconds):
                return await self._gateway.submit(notice.notice_id, notice.request.body())
        except TimeoutError as exc:
            raise OutcomeUnknown(f"no answer within {self._p.call_seconds:g} s") from exc
        finally:
            slow.cancel()
            self._give_place_back()  # answered (or not): the gateway is done with it

    def _answered(self, began: float, since: float) -> None:
        """The gateway answered: it works, and the window learns how quickly."""
        self._p.pacer.answered()
        self._p.breaker.succeeded(since)
        self._p.window.answered(time.monotonic() - began)

    def _attempts_spent(self, notice: StoredNotice) -> bool:
        """Whether this failure was the notice's last allowed attempt."""
        bound = self._p.max_attempts
        return self._parking is not None and bound > 0 and notice.failures + 1 >= bound

    async def _park(self, s: AsyncSession, notice: StoredNotice, exc: GatewayTryLater) -> None:
        assert self._parking is not None
        log.warning("notice parked as undeliverable", extra={"attempts": notice.failures + 1})
        await self._parking.park(s, notice, str(exc), self._clock.now())

    def _observe(self, notice: StoredNotice, charged: int) -> None:
        if notice.segments is not None and charged != notice.segments:
            counts = {"ours": notice.segments, "theirs": charged}
            log.warning("the gateway charges other segments", extra=counts)
        labels = {
            "kind": notice.kind.value,
            "language": notice.language,
            "encoding": notice.encoding or "unknown",
        }
        self._metrics.sms_handed_over(notice.segments or charged, **labels)

    async def _move(
        self, s: AsyncSession, notice: StoredNotice, event: NoticeEvent, reason: str
    ) -> None:
        await self._notices.transition(s, notice, event, self._clock.now(), reason)

    def _count(self, outcome: str) -> None:
        self._metrics.attempt(outcome)

    async def _sweep_overdue(self) -> None:
        if time.monotonic() - self._swept_at < SWEEP_EVERY_SECONDS:
            return
        self._swept_at = time.monotonic()
        now = self._clock.now()
        async with self._sessions.begin() as s:
            for notice in await self._notices.overdue(s, now - self._p.report_wait):
                reason = f"no delivery report within {self._p.report_wait.total_seconds():g} s"
                await self._notices.transition(s, notice, NoticeEvent.REPORT_OVERDUE, now, reason)
