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
before the bank knew); in flight, they run their course (an ``MD07`` reaches ops as a
rejection); paid beyond the death, they open a recovery case (``recovery``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from benefits_shared.contracts.decisions import Recipient

from bank_gateway.case_state import CaseState
from bank_gateway.ids import owed_id
from bank_gateway.payments_due import PaymentDue
from bank_gateway.payroll import PayrollLine

OWED = "days due to a payee who died before they were paid: owed to the estate"


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
