"""What a benefit case's latest decision asks of the bank.

- A one-time grant (B1, B3) is due while the latest decision assigns it with a recipient
  and an amount: one payment per case, recipient and amount, ever (see
  :mod:`bank_gateway.grant_payments` for a grant superseded after it was sent).
- A monthly allowance (B2) is due, day by day, within the entitlement of the latest
  decision that assigns or ends it with a payee; the payroll pays those days.
- Anything else (revoked, rejected, unresolved) stops what was not yet sent.
- Money already paid that the latest decision says is not due opens a recovery case
  (see :mod:`bank_gateway.recovery`): a revoked or rejected case, days outside the new
  entitlement, or the engine's own ``facts.recovery_case`` (a grant whose record was
  cancelled after it was paid: the grant stays, a recovery case is opened).
- A monthly allowance whose payee has died (``payee_died_on``: the engine's ``facts.holder``
  when the holder is the payee) is never sent to the bank again: its unpaid days are owed
  to the estate (see :mod:`bank_gateway.estate`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from benefits_shared.contracts.decisions import BenefitDecided, Entitlement, Recipient
from benefits_shared.errors import PoisonMessage

GRANTS = frozenset({"B1", "B3"})
ALLOWANCE = "B2"
WITHDRAWN = frozenset({"revoked", "rejected"})


@dataclass(frozen=True, slots=True)
class CaseState:
    case_id: str
    benefit: str
    decision_id: str
    outcome: str
    recipient: Recipient | None
    amount: Decimal | None
    entitlement: Entitlement | None
    recovery: dict[str, Any] | None
    payee_died_on: date | None = None

    @property
    def grant_due(self) -> bool:
        return self.benefit in GRANTS and self.outcome == "assigned" and self.recipient is not None

    @property
    def allowance(self) -> Entitlement | None:
        """The entitlement the payroll pays, if the case pays one."""
        if self.benefit != ALLOWANCE or self.recipient is None:
            return None
        return self.entitlement if self.outcome in ("assigned", "ended") else None

    @property
    def needs_account(self) -> bool:
        return self.grant_due or self.allowance is not None

    @property
    def withdrawn(self) -> bool:
        return self.outcome in WITHDRAWN


def case_state(decided: BenefitDecided) -> CaseState:
    """The case as ``decided`` leaves it; PoisonMessage for a decision that contradicts itself."""
    state = CaseState(
        decided.case_id,
        decided.benefit,
        decided.decision_id,
        decided.outcome,
        decided.recipient,
        decided.amount,
        decided.entitlement,
        _recovery(decided.facts.get("recovery_case")),
        payee_died_on(decided),
    )
    if state.grant_due and (state.amount is None or state.amount <= 0):
        raise PoisonMessage(f"decision {decided.decision_id} assigns a grant without an amount")
    if decided.benefit == ALLOWANCE and decided.outcome == "assigned" and state.allowance is None:
        raise PoisonMessage(f"decision {decided.decision_id} assigns B2 without an entitlement")
    return state


def _recovery(facts: object) -> dict[str, Any] | None:
    return dict(facts) if isinstance(facts, dict) else None


def payee_died_on(decided: BenefitDecided) -> date | None:
    """The day the payee of a B2 decision died, as the decision's facts say, if they did.

    The engine records the holder it read (``facts.holder``: pin, birth date, date of
    death). The holder is the payee of groups I–III; a child's payee is a parent the engine
    chose alive, and it decides again, naming another payee, when that parent dies.
    """
    holder = decided.facts.get("holder")
    if decided.benefit != ALLOWANCE or decided.recipient is None or not isinstance(holder, dict):
        return None
    died = holder.get("date_of_death")
    if holder.get("pin") != decided.recipient.pin or not isinstance(died, str):
        return None
    try:
        return date.fromisoformat(died)
    except ValueError:
        raise PoisonMessage(f"decision {decided.decision_id}: date of death {died!r}") from None
