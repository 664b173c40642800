"""Apply the latest decision of each case, in the consumer's transaction (no bank call).

For each case: remember its state; ask for its recipient's account (one per person); store
the payments it is owed now (its grant, see ``grant_payments``, or its allowance's days up
to the last month the monthly payroll ran: a decision that comes after its month's run is
paid as the run would have paid it, or owed to the estate if its payee has died); cancel
what it no longer asks for and was not sent (a grant's cancellation is told:
``PaymentCancelled``); open recovery cases for settled money it says is not due. The bank
calls come later, from the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from benefits_shared.contracts.decisions import BenefitDecided
from benefits_shared.db.outbox import OutgoingEvent
from benefits_shared.pin import PinHasher
from sqlalchemy.ext.asyncio import AsyncSession

from bank_gateway.adapters.stores import Stores
from bank_gateway.allowance_due import AllowanceDue
from bank_gateway.case_state import ALLOWANCE, GRANTS, CaseState
from bank_gateway.errors import NoRateInForce
from bank_gateway.grant_payments import grant_plan
from bank_gateway.payment_events import PaymentEvents
from bank_gateway.payment_states import PaymentState
from bank_gateway.payments_due import allowance_payments
from bank_gateway.recovery import Recovery, SettledPayment, may_be_undue, recoveries

log = logging.getLogger(__name__)


class CaseUpdates:
    def __init__(self, stores: Stores, events: PaymentEvents, hasher: PinHasher) -> None:
        self._st = stores
        self._events = events
        self._hasher = hasher
        self._allowances = AllowanceDue(stores, events)

    async def apply(
        self, s: AsyncSession, decided: Sequence[tuple[BenefitDecided, CaseState]]
    ) -> list[OutgoingEvent]:
        stale = await self._st.cases.record_decisions(s, [d for d, _ in decided])
        latest = {state.case_id: state for d, state in decided if d.decision_id not in stale}
        states = list(latest.values())
        await self._st.cases.save(s, states)
        payees = {x.case_id: self._hasher.digest(x.recipient.pin) for x in states if x.recipient}
        # The payees' accounts locked at once, in key order, before any of them is asked
        # for payments below (grants, then each allowance): those asks alone would take
        # them in the order the cases come (ADR 35).
        await self._st.accounts.lock(s, payees.values())
        await self._st.accounts.request(
            s,
            {
                payees[x.case_id]: (x.recipient, x.decision_id)
                for x in states
                if x.needs_account and x.recipient is not None
            },
        )
        events, paid = await self.plan_grants(s, [x for x in states if x.benefit in GRANTS])
        for state in states:
            if state.benefit == ALLOWANCE:
                events += await self.pay_allowance(s, state)
        owing = [x for x in states if x.case_id in paid or _may_owe_back(x)]
        return events + await self.recover(s, owing)

    async def plan_grants(
        self, s: AsyncSession, states: Sequence[CaseState]
    ) -> tuple[list[OutgoingEvent], set[str]]:
        """Store each grant its latest decision asks for, cancel the unsent ones it no longer
        does (telling whom they were for); the events, and the cases with money paid."""
        stored = await self._st.payments.grants_of(s, [x.case_id for x in states])
        wanted, events = [], []
        for state in states:
            key = self._hasher.digest(state.recipient.pin) if state.recipient else ""
            plan = grant_plan(state, stored.get(state.case_id, []), key)
            wanted += [plan.pay] if plan.pay else []
            why = {c.payment_id: c.reason for c in plan.cancel}
            for row in await self._st.payments.cancel(s, list(why)):
                cancelled = self._events.cancelled(row, state.decision_id, why[row["payment_id"]])
                events.append(cancelled)
        await self._st.payments.want(s, wanted)
        settled = PaymentState.SETTLED
        paid = {c for c, ps in stored.items() if any(p.state is settled for p in ps)}
        return events, paid

    async def pay_allowance(self, s: AsyncSession, state: CaseState) -> list[OutgoingEvent]:
        """Re-plan what the case is owed: unsent payments follow its latest entitlement (or,
        its payee dead, its unpaid days are owed to the estate)."""
        await self._st.payments.cancel_unsent(s, state.case_id)
        refused = await self._allowances.refused(s, state)
        through = await self._st.cases.last_clock_run(s)
        if through is None or state.allowance is None:
            return refused
        paid = await self._st.payments.paid_days(s, [state.case_id])
        try:
            due = allowance_payments(state, through, paid.get(state.case_id, set()), arrears=True)
        except NoRateInForce as missing:
            log.error("allowance not paid", extra={"case": state.case_id, "error": str(missing)})
            return refused
        _, _, events = await self._allowances.store(s, [(state, due)])
        return refused + events

    async def refused_by_death(self, s: AsyncSession, case_ids: set[str]) -> list[OutgoingEvent]:
        """Payments of these cases the bank just refused (``MD07``): their days owed to the
        estate if the case already knows its payee died (else when its decision says so)."""
        events: list[OutgoingEvent] = []
        for state in (await self._st.cases.load(s, case_ids)).values():
            events += await self._allowances.refused(s, state)
        return events

    async def recover(self, s: AsyncSession, states: Sequence[CaseState]) -> list[OutgoingEvent]:
        """Open the recovery cases the states call for now; their events."""
        out = []
        for state in states:
            settled = await self._st.payments.settled(s, state.case_id)
            if not settled:
                continue
            opened = await self._st.ops.recoveries(s, state.case_id)
            found = recoveries(state, settled, opened)
            ops = self._st.ops
            for recovery in found:
                pin = _paid_to(recovery, settled)
                new = await ops.open_recoveries(
                    s, state.case_id, state.decision_id, pin, [recovery]
                )
                if new:
                    out.append(
                        self._events.recovery_opened(
                            recovery, state.case_id, state.decision_id, pin
                        )
                    )
        return out


def _paid_to(recovery: Recovery, settled: Sequence[SettledPayment]) -> str:
    """Who was paid the money ``recovery`` is about: the grant payment's recipient, or the
    case's latest payee (B2)."""
    for paid in settled:
        if paid.payment_id == recovery.payment_id:
            return paid.recipient_pin
    return settled[-1].recipient_pin


def _may_owe_back(state: CaseState) -> bool:
    """Whether settled money of the case may be undue now (a plain grant never is)."""
    return state.benefit == ALLOWANCE or may_be_undue(state, ())
