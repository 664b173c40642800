"""B2 days due to a payee who died before they were paid: owed to the estate, never sent.

policy.md (B2): the bank refuses payments to the dead (``MD07``), so days due to a holder
(or payee) who has died before they are paid are recorded as owed to the estate and put
on the unresolved queue for ops, who pay the heirs outside this system.

Once a case's latest decision says its payee died (``CaseState.payee_died_on``), every
month of unpaid days the payroll finds (the days up to the death, as the entitlement ends
there) becomes an entry owed to the estate instead of a payment: the same days, priced the
same way (rate × days ÷ days in the month, rounded once), named by ``ids.owed_id`` of the
case and the days, so a repeated run or a replayed decision records nothing new. Days
already in a payment stay there: settled, they were paid (to the account of the deceased,
before the bank knew); in flight, they run their course; paid beyond the death, they open
a recovery case (``recovery``). A payment the bank refused because the payee had died
(``MD07``: it knew first) is a rejection for ops, and its days, once the decision says the
payee died, are owed to the estate as well (``refused_owed``, naming the payment).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from benefits_shared.contracts.decisions import Recipient

from bank_gateway.case_state import CaseState
from bank_gateway.ids import owed_id
from bank_gateway.payments_due import PaymentDue
from bank_gateway.payroll import PayrollLine, first_of_month

OWED = "days due to a payee who died before they were paid: owed to the estate"
REFUSED = (
    "days the bank refused (MD07) to a payee who died before they were paid: owed to the estate"
)
DECEASED = "MD07"


@dataclass(frozen=True, slots=True)
class Owed:
    """One month of days owed to the estate of ``deceased``."""

    owed_id: str
    case_id: str
    decision_id: str
    benefit: str
    deceased: Recipient
    died_on: date
    line: PayrollLine
    reason: str = OWED
    payment_id: str | None = None  # the payment the bank refused, for days it refused


@dataclass(frozen=True, slots=True)
class RefusedPayment:
    """A B2 payment the bank rejected, as stored: its days and how they were priced."""

    payment_id: str
    reason_code: str
    amount: Decimal
    days: tuple[date, ...]
    monthly_rate: Decimal
    days_in_month: int


def owed_to_estate(
    state: CaseState, due: Sequence[PaymentDue]
) -> tuple[list[PaymentDue], list[Owed]]:
    """What of ``due`` (the case's allowance payments just found) goes to the bank, and what
    is owed to the estate instead: all of it, once the payee has died."""
    died = state.payee_died_on
    if died is None or state.recipient is None:
        return list(due), []
    owed = [
        Owed(
            owed_id(state.case_id, d.line.period),
            state.case_id,
            state.decision_id,
            state.benefit,
            state.recipient,
            died,
            d.line,
        )
        for d in due
        if d.line is not None
    ]
    return [d for d in due if d.line is None], owed


def refused_owed(state: CaseState, refused: Sequence[RefusedPayment]) -> list[Owed]:
    """Days of payments the bank refused because their payee had died (``MD07``), once the
    case's decision says the payee died: owed to the estate, at what they were priced."""
    died = state.payee_died_on
    if died is None or state.recipient is None:
        return []
    return [
        Owed(
            owed_id(state.case_id, (p.days[0], p.days[-1])),
            state.case_id,
            state.decision_id,
            state.benefit,
            state.recipient,
            died,
            PayrollLine(
                first_of_month(p.days[0]), p.days, p.monthly_rate, p.days_in_month, p.amount
            ),
            REFUSED,
            p.payment_id,
        )
        for p in refused
        if p.reason_code == DECEASED and p.days
    ]
