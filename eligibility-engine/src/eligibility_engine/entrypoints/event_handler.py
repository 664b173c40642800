"""The engine's Kafka handler: one transaction per batch, set-based.

In one PostgreSQL transaction: the inbox claims the batch's event ids; the new events'
facts are stored, a statement per table; the cases they touch are found; those the
engine's copy of the registries does not cover yet wait (``knowledge``, ADR 0008), and
those a progress marker of the batch now covers join the rest; their facts are read for
all at once, and each is decided once, in memory, with all the batch's facts; a
decision that differs from the case's last one is stored and queued in the outbox, in
bulk. Then the consumer loop commits the offsets. A replay claims nothing new and decides
nothing. What is decided is what applying the events one by one decided: each case on the
latest day of an event that touched it (the day it speaks of, or the day it reached Kafka
if later), and an allowance, which the clock ends, on the engine's "today" if that is later
(``decision_day``, ADR 0005).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from datetime import date

from benefits_shared import tracing
from benefits_shared.clock import baku_date
from benefits_shared.contracts.clock import DayStarted
from benefits_shared.contracts.life_events import CertificateRecord, CivilRecord
from benefits_shared.contracts.payments import PaymentSettled
from benefits_shared.contracts.persons import PersonRecord
from benefits_shared.contracts.progress import ProgressMarker
from benefits_shared.doorbell import Doorbell
from benefits_shared.kafka.consumer_loop import Delivery
from benefits_shared.pin import PinHasher
from benefits_shared.service_runtime import Received
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from eligibility_engine import decision_ids
from eligibility_engine.adapters.case_book import CaseBook, Decided
from eligibility_engine.adapters.case_finder import CaseFinder
from eligibility_engine.adapters.case_loader import CaseLoader
from eligibility_engine.adapters.case_settling import settle
from eligibility_engine.adapters.case_snapshot import CaseSnapshot
from eligibility_engine.adapters.decision_store import DecisionStore
from eligibility_engine.adapters.fact_rows import BatchFacts
from eligibility_engine.adapters.fact_store import FactStore
from eligibility_engine.adapters.inbox import Inbox
from eligibility_engine.adapters.knowledge_store import KnowledgeStore
from eligibility_engine.adapters.record_folds import RecordFolds
from eligibility_engine.adapters.tables import PLAN_EACH_STATEMENT, EngineTables
from eligibility_engine.case_keys import CaseKey
from eligibility_engine.disability_allowance import reexamination_notice
from eligibility_engine.facts import DisabilityCase
from eligibility_engine.knowledge import Needs, Touch, Waiting, day_of, epoch_ms
from eligibility_engine.parameters import Parameters

#: The types ``handle`` applies (``BatchFacts.add``); its consumer does not read the
#: others' values (an account opened or a payment submitted is no fact of a case).
APPLIES = (
    PersonRecord,
    CivilRecord,
    CertificateRecord,
    PaymentSettled,
    DayStarted,
    ProgressMarker,
)
#: Cases decided between two stores, and between two turns given to the store in flight.
SLICE = 256
YIELD_EVERY = 32
#: Waiting cases decided in one transaction at most once a marker covers them (ADR 0028):
#: a backlog of a whole population is decided in slices, its memory bounded.
RELEASE_AT_ONCE = 2_000


class EventHandler:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        tables: EngineTables,
        hasher: PinHasher,
        parameters: Parameters,
        decisions_topic: str,
        doorbell: Doorbell | None = None,
    ) -> None:
        self._sessions = sessions
        self._doorbell = doorbell or Doorbell()  # the releaser's (bootstrap)
        self._hasher = hasher
        self._parameters = parameters
        self._case_ids: dict[CaseKey, str] = {}
        self.inbox = Inbox(tables)
        self.facts = FactStore(tables)
        self.folds = RecordFolds(tables)
        self.finder = CaseFinder(tables)
        self.cases = CaseLoader(tables)
        self.decisions = DecisionStore(tables, decisions_topic)
        self.knowledge = KnowledgeStore(tables)
        #: Waiting cases a batch's marker releases at most; for the rest it rings the
        #: doorbell, and the releaser decides them a slice per transaction.
        self.release_at_once = RELEASE_AT_ONCE

    async def handle(self, batch: Sequence[Delivery[Received]]) -> None:
        self._case_ids = {}  # a PIN's keyed hash is worth computing once per batch
        more: CaseKey | None = None
        async with self._sessions.begin() as s:
            await s.execute(PLAN_EACH_STATEMENT)
            facts, touches = BatchFacts(), {}
            fresh = [d.message.event.id for d in batch if _applies(d) and not _is_marker(d)]
            new = await self.inbox.claim(s, fresh)
            for position, d in enumerate(batch):
                payload = d.message.payload
                if _is_marker(d) or (d.message.event.id in new and payload is not None):
                    facts.add(position, payload)
                    touches[position] = touch(d)
            written = await self.facts.store(s, facts)
            await self.knowledge.lock(s)
            await self.knowledge.record(s, facts.markers)
            horizon = await self.knowledge.horizon(s)
            history = await self.folds.refold(s, facts, written)
            touched = await self.finder.touched(s, touches, facts, written, history)
            ready = await self.knowledge.split(s, touched, horizon)
            if facts.markers:
                released, more = await self.knowledge.release(s, horizon, self.release_at_once)
                for key, waited in released.items():
                    ready[key] = ready[key] | waited if key in ready else waited
            await self._decide_ready(s, ready, facts.ticks)
        if more is not None:
            self._doorbell.ring()  # committed: the rest of what the marker covers, by slices

    async def release_waiting(self, after: CaseKey | None = None) -> CaseKey | None:
        """Decide, in a transaction of its own, the next ``release_at_once`` waiting cases
        the horizon covers, in key order after ``after``; the key to go on after, or None
        once none is left (ADR 0028)."""
        self._case_ids = {}
        async with self._sessions.begin() as s:
            await s.execute(PLAN_EACH_STATEMENT)
            await self.knowledge.lock(s)
            horizon = await self.knowledge.horizon(s)
            ready, more = await self.knowledge.release(s, horizon, self.release_at_once, after)
            await self._decide_ready(s, ready, ())
        return more

    async def waiting(self) -> Waiting:
        """What waits now, for ops (``metrics.show_waiting``); reads only."""
        async with self._sessions.begin() as s:
            return await self.knowledge.waiting(s, await self.knowledge.horizon(s))

    async def _decide_ready(
        self, s: AsyncSession, ready: dict[CaseKey, Touch], ticks: Iterable[date]
    ) -> None:
        """The batch's ticks, then each ready case on its day (``decision_day``)."""
        book = CaseBook()
        book.traces.update({self.case_id(k): t.trace for k, t in ready.items() if t.trace})
        for day in ticks:
            await self.tick(s, book, day)
        today = await self.decisions.today(s) if ready else None
        decide_on = {k: decision_day(k, t.day, today) for k, t in ready.items()}
        await self._decide_all(s, book, decide_on)

    async def _decide_all(self, s: AsyncSession, book: CaseBook, days: dict[CaseKey, date]) -> None:
        """Each case on its day, in order. While the rules decide a slice of the cases,
        PostgreSQL stores the slice before: one session, its statements still in order."""
        keys = sorted(days)
        snapshot = await self._read(s, book, keys)
        stored: asyncio.Task[None] | None = None
        try:
            for start in range(0, len(keys), SLICE):
                for n, key in enumerate(keys[start : start + SLICE]):
                    self.decide(book, snapshot, key, days[key])
                    if n % YIELD_EVERY == 0:
                        await asyncio.sleep(0)  # the store in flight sends its next statement
                stored = asyncio.create_task(self._store_after(s, stored, book.take()))
        except BaseException:
            if stored is not None:
                await asyncio.wait([stored])  # never leave the session mid-statement
            raise
        await self._store_after(s, stored, book.take())  # and what is left (a tick's)

    async def _store_after(
        self, s: AsyncSession, previous: asyncio.Task[None] | None, taken: Decided
    ) -> None:
        if previous is not None:
            await previous
        await self.decisions.write(s, taken)

    def case_id(self, key: CaseKey) -> str:
        known = self._case_ids.get(key)
        if known is None:
            known = self._case_ids[key] = decision_ids.case_of(key, self._hasher)
        return known

    async def _read(self, s: AsyncSession, book: CaseBook, keys: Iterable[CaseKey]) -> CaseSnapshot:
        keys = list(keys)
        snapshot = await self.cases.load(s, keys)
        await self.decisions.read_states(s, book, [self.case_id(k) for k in keys])
        return snapshot

    def decide(self, book: CaseBook, snapshot: CaseSnapshot, key: CaseKey, on: date) -> None:
        case_id = self.case_id(key)
        settled = settle(book, snapshot, key, case_id, self._parameters, on)
        if settled is not None:
            book.record(case_id, key.subject, settled.result, on)

    async def tick(self, s: AsyncSession, book: CaseBook, day: date) -> None:
        """A new Baku day: end entitlements whose last day has passed; notices due.

        The engine's "today" is the latest tick it has seen: an allowance is decided on the
        later of its event's day and today, so one whose record comes after the ticks of its
        time is decided as the ticks would have found it (order does not matter).
        """
        await self.decisions.write(s, book.take())  # what an earlier tick decided counts
        ended, notices = await self.decisions.due_on(s, day)
        waiting = await self.knowledge.held(s, [CaseKey("B2", no) for no in ended + notices])
        ended = [no for no in ended if CaseKey("B2", no) not in waiting]
        notices = [no for no in notices if CaseKey("B2", no) not in waiting]
        snapshot = await self._read(s, book, [CaseKey("B2", no) for no in ended + notices])
        holders = [c.holder_pin for no in notices if (c := snapshot.certificates.get(no))]
        reexaminations = [decision_ids.reexamination_case(h, self._hasher) for h in holders]
        await self.decisions.read_states(s, book, reexaminations)
        for certificate_no in ended:
            self.decide(book, snapshot, CaseKey("B2", certificate_no), day)
        for certificate_no in notices:
            self._reexamination(book, snapshot, certificate_no, day)

    def _reexamination(
        self, book: CaseBook, snapshot: CaseSnapshot, certificate_no: str, day: date
    ) -> None:
        key = CaseKey("B2", certificate_no)
        facts = snapshot.facts(key, book.state(self.case_id(key)))
        if not isinstance(facts, DisabilityCase):
            return
        case_id = decision_ids.reexamination_case(facts.certificate.holder_pin, self._hasher)
        if book.exists(case_id):
            return
        result = reexamination_notice(facts, self._parameters, day)
        if result is not None:
            book.record(case_id, certificate_no, result, day)


def _applies(d: Delivery[Received]) -> bool:
    """An event of a type the engine does not apply (``APPLIES``) has no effect to make
    exactly once: it takes no place in the inbox either."""
    return d.message.payload is not None


def _is_marker(d: Delivery[Received]) -> bool:
    """A progress marker is applied whenever it comes (it only ever moves the horizon
    forward), so it takes no place in the inbox."""
    return isinstance(d.message.payload, ProgressMarker)


def decision_day(key: CaseKey, day: date, today: date | None) -> date:
    """The day a case touched on ``day`` is decided on (ADR 0005, amended 2026-12-05).

    A one-time grant is decided on ``day`` alone: the latest day its records speak of or
    reached Kafka, which a replay reads again as it was, whenever it reads the clock. An
    allowance is also decided on the engine's "today" when that is later: the clock ends
    it, and a tick read before its record would otherwise never end it (one read after it
    does, so either order ends in the same decision)."""
    return max(day, today) if today is not None and key.benefit == "B2" else day


def touch(d: Delivery[Received]) -> Touch:
    """The day an event speaks of or the day it reached Kafka, whichever is later, and,
    for a registry record, what deciding on it needs: the population copy as of its
    arrival in Kafka, every civil record up to it, and for a certificate every commission
    file in the drop folder when it arrived."""
    event, payload = d.message.event, d.message.payload
    arrived = d.record.timestamp if d.record is not None else epoch_ms(event.time)
    day, trace = max(baku_date(event.time), day_of(arrived)), tracing.cause_of(event.id)
    if not isinstance(payload, CivilRecord | CertificateRecord):
        return Touch(day, trace=trace)
    if isinstance(payload, CivilRecord):
        return Touch(day, Needs(arrived, civil_seq=payload.seq), trace)
    return Touch(day, Needs(arrived, mse_ms=arrived), trace)
