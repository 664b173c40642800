"""The payments a case asks for now: its allowance's unpaid days by month (a grant's:
:mod:`bank_gateway.grant_payments`).

Each payment is named by ``ids.payment_id`` from the case and the days it pays, so asking
again for the same thing names the same payment and the unique constraint keeps one.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from benefits_shared.contracts.decisions import Recipient

from bank_gateway.case_state import CaseState
from bank_gateway.ids import payment_id
from bank_gateway.payroll import PayrollLine, lines_through, payroll_line


@dataclass(frozen=True, slots=True)
class PaymentDue:
    payment_id: str
    case_id: str
    decision_id: str
    benefit: str
    recipient: Recipient
    amount: Decimal
    line: PayrollLine | None = None  # the days paid, for an allowance


def allowance_payments(
    state: CaseState, month: date, paid: Collection[date], arrears: bool
) -> list[PaymentDue]:
    """The unpaid entitled days of ``month`` (and, with ``arrears``, of every month before
    it), one payment per month."""
    entitlement = state.allowance
    if entitlement is None or state.recipient is None:
        return []
    if arrears:
        lines = lines_through(entitlement, month, paid)
    else:
        line = payroll_line(entitlement, month, paid)
        lines = [line] if line is not None else []
    return [_allowance(state, state.recipient, line) for line in lines]


def _allowance(state: CaseState, recipient: Recipient, line: PayrollLine) -> PaymentDue:
    return PaymentDue(
        payment_id(state.case_id, line.period),
        state.case_id,
        state.decision_id,
        state.benefit,
        recipient,
        line.amount,
        line,
    )
