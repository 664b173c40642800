"""The engine's Kafka handler: one transaction per batch.

In one PostgreSQL transaction: the inbox claims the batch's event ids; the new events'
facts are stored; every case they touch is decided once, with all the batch's facts; a
decision that differs from the case's last one is stored and queued in the outbox. Then
the consumer loop commits the offsets. A replay claims nothing new and decides nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from benefits_shared.clock import BAKU, baku_date
from benefits_shared.contracts.clock import DayStarted
from benefits_shared.contracts.decisions import BenefitDecided
from benefits_shared.contracts.life_events import (
    BirthRegistered,
    CertificateIssued,
    CertificateRevoked,
    DeathRegistered,
    RecordCancelled,
    RecordCorrected,
)
from benefits_shared.contracts.payments import PaymentSettled
from benefits_shared.contracts.persons import PersonRecord
from benefits_shared.db.inbox import claim_new
from benefits_shared.db.outbox import OutgoingEvent, add_to_outbox
from benefits_shared.kafka.consumer_loop import Delivery
from benefits_shared.pin import PinHasher
from benefits_shared.service_runtime import Received
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from eligibility_engine import decision_ids, rulebook
from eligibility_engine.adapters.case_loader import CaseLoader
from eligibility_engine.adapters.decision_store import DecisionStore
from eligibility_engine.adapters.fact_store import FactStore, Touched
from eligibility_engine.adapters.tables import EngineTables
from eligibility_engine.case_keys import CaseKey
from eligibility_engine.disability_allowance import reexamination_notice
from eligibility_engine.facts import DisabilityCase
from eligibility_engine.parameters import Parameters

SOURCE = "/eligibility-engine"


class EventHandler:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        tables: EngineTables,
        hasher: PinHasher,
        parameters: Parameters,
        decisions_topic: str,
    ) -> None:
        self._sessions = sessions
        self._t = tables
        self._hasher = hasher
        self._parameters = parameters
        self._topic = decisions_topic
        self.facts = FactStore(tables)
        self.cases = CaseLoader(tables)
        self.decisions = DecisionStore(tables)

    async def handle(self, batch: Sequence[Delivery[Received]]) -> None:
        async with self._sessions.begin() as s:
            new = await claim_new(s, self._t.inbox, [d.message.event.id for d in batch])
            touched: dict[CaseKey, date] = {}
            ticks: list[date] = []
            for d in batch:
                payload = d.message.payload
                if d.message.event.id not in new or payload is None:
                    continue
                if isinstance(payload, DayStarted):
                    ticks.append(payload.day)
                on = baku_date(d.message.event.time)
                for key in await self._apply(s, payload):
                    touched[key] = max(touched.get(key, on), on)
            decided: list[BenefitDecided] = []
            for day in ticks:
                decided += await self.tick(s, day)
            today = await self.decisions.today(s)
            for key, on in sorted(touched.items()):
                decided += await self.decide(s, key, max(on, today) if today else on)
            await add_to_outbox(s, self._t.outbox, [self._outgoing(e) for e in decided])

    async def _apply(self, s: AsyncSession, payload: object) -> Touched:
        f = self.facts
        match payload:
            case PersonRecord():
                return await f.record_person(s, payload)
            case BirthRegistered():
                return await f.record_birth(s, payload)
            case DeathRegistered():
                return await f.record_death(s, payload)
            case RecordCancelled() | RecordCorrected():
                return await f.record_amendment(s, payload)
            case CertificateIssued():
                return await f.record_certificate(s, payload)
            case CertificateRevoked():
                return await f.record_revocation(s, payload)
            case PaymentSettled():
                await self.decisions.record_payment(s, payload.case_id, payload.period_end)
                return set()
            case DayStarted():
                await self.decisions.advance_clock(s, payload.day)
                return set()
        return set()

    def case_id(self, key: CaseKey) -> str:
        if key.benefit == "B1":
            return decision_ids.birth_grant_case(key.subject, self._hasher)
        if key.benefit == "B2":
            return decision_ids.disability_case(key.subject)
        return decision_ids.funeral_case(key.subject, self._hasher)

    async def decide(self, s: AsyncSession, key: CaseKey, on: date) -> list[BenefitDecided]:
        case_id = self.case_id(key)
        facts = await self.cases.load(s, key, case_id)
        if facts is None:
            return []
        result = rulebook.decide(facts, self._parameters, on)
        decision = await self.decisions.record(s, case_id, key.subject, result, on)
        return [decision] if decision else []

    async def tick(self, s: AsyncSession, day: date) -> list[BenefitDecided]:
        """A new Baku day: end entitlements whose last day has passed; notices due.

        The engine's "today" is the latest tick it has seen: every case is decided on the
        later of its event's day and today, so a record that comes after the ticks of its
        time is decided as the ticks would have found it (order does not matter).
        """
        ended, notices = await self.decisions.due_on(s, day)
        out: list[BenefitDecided] = []
        for certificate_no in ended:
            out += await self.decide(s, CaseKey("B2", certificate_no), day)
        for certificate_no in notices:
            out += await self._reexamination(s, certificate_no, day)
        return out

    async def _reexamination(
        self, s: AsyncSession, certificate_no: str, day: date
    ) -> list[BenefitDecided]:
        key = CaseKey("B2", certificate_no)
        facts = await self.cases.load(s, key, self.case_id(key))
        if not isinstance(facts, DisabilityCase):
            return []
        case_id = decision_ids.reexamination_case(facts.certificate.holder_pin, self._hasher)
        if await self.decisions.exists(s, case_id):
            return []
        result = reexamination_notice(facts, self._parameters, day)
        if result is None:
            return []
        decision = await self.decisions.record(s, case_id, certificate_no, result, day)
        return [decision] if decision else []

    def _outgoing(self, decided: BenefitDecided) -> OutgoingEvent:
        event = decided.to_cloudevent(SOURCE, _noon(decided.decided_on), None)
        return OutgoingEvent(self._topic, decided.case_id.encode(), event)


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), BAKU)
