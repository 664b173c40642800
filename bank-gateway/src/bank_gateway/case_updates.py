"""Apply the latest decision of each case, in the consumer's transaction (no bank call).

For each case: remember its state; ask for its recipient's account (one per person); store
the payments it is owed now (its grant, or its allowance's days up to the last month the
monthly payroll ran: a decision that comes after its month's run is paid as the run
would have paid it); cancel what it no longer asks for and was not sent; open recovery
cases for settled money it says is not due. The bank calls come later, from the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from benefits_shared.contracts.decisions import BenefitDecided
from benefits_shared.db.outbox import OutgoingEvent
from benefits_shared.pin import PinHasher
from sqlalchemy.ext.asyncio import AsyncSession

from bank_gateway.adapters.stores import Stores
from bank_gateway.case_state import ALLOWANCE, CaseState
from bank_gateway.errors import NoRateInForce
from bank_gateway.payment_events import PaymentEvents
from bank_gateway.payments_due import allowance_payments, grant_payment
from bank_gateway.recovery import may_be_undue, recoveries

log = logging.getLogger(__name__)


class CaseUpdates:
    def __init__(self, stores: Stores, events: PaymentEvents, hasher: PinHasher) -> None:
        self._st = stores
        self._events = events
        self._hasher = hasher

    async def apply(
        self, s: AsyncSession, decided: Sequence[tuple[BenefitDecided, CaseState]]
    ) -> list[OutgoingEvent]:
        stale = await self._st.cases.record_decisions(s, [d for d, _ in decided])
        latest = {state.case_id: state for d, state in decided if d.decision_id not in stale}
        states = list(latest.values())
        await self._st.cases.save(s, states)
        await self._st.accounts.request(
            s,
            {
                self._hasher.digest(x.recipient.pin): (x.recipient, x.decision_id)
                for x in states
                if x.needs_account and x.recipient is not None
            },
        )
        grants = [g for g in map(grant_payment, states) if g is not None]
        await self._st.payments.want(s, grants)
        for state in states:
            if state.benefit == ALLOWANCE:
                await self.pay_allowance(s, state)
            elif not state.grant_due:
                await self._st.payments.cancel_unsent(s, state.case_id)
        return await self.recover(s, [x for x in states if _may_owe_back(x)])

    async def pay_allowance(self, s: AsyncSession, state: CaseState) -> None:
        """Re-plan what the case is owed: unsent payments follow its latest entitlement."""
        await self._st.payments.cancel_unsent(s, state.case_id)
        through = await self._st.cases.last_clock_run(s)
        if through is None or state.allowance is None:
            return
        paid = await self._st.payments.paid_days(s, [state.case_id])
        try:
            due = allowance_payments(state, through, paid.get(state.case_id, set()), arrears=True)
        except NoRateInForce as missing:
            log.error("allowance not paid", extra={"case": state.case_id, "error": str(missing)})
            return
        await self._st.payments.want(s, due)

    async def recover(self, s: AsyncSession, states: Sequence[CaseState]) -> list[OutgoingEvent]:
        """Open the recovery cases the states call for now; their events."""
        out = []
        for state in states:
            settled = await self._st.payments.settled(s, state.case_id)
            if not settled:
                continue
            opened = await self._st.ops.recoveries(s, state.case_id)
            found = recoveries(state, settled, opened)
            pin = settled[-1].recipient_pin  # who was paid
            ops = self._st.ops
            new = set(await ops.open_recoveries(s, state.case_id, state.decision_id, pin, found))
            out += [
                self._events.recovery_opened(r, state.case_id, state.decision_id, pin)
                for r in found
                if r.recovery_id in new
            ]
        return out


def _may_owe_back(state: CaseState) -> bool:
    """Whether settled money of the case may be undue now (a plain grant never is)."""
    return state.benefit == ALLOWANCE or may_be_undue(state, ())
