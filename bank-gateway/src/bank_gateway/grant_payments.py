"""What a one-time grant case (B1, B3) asks of the bank now, given its payments so far.

policy.md (Bank): a grant already paid and superseded by a decision naming another
recipient or a higher amount pays the recipient of the new decision what it says, and the
earlier payment opens a recovery case (see :mod:`bank_gateway.recovery`). So a grant
payment is named by its case, recipient and amount (``ids.grant_payment_id``), and:

- the latest decision's (recipient, amount) is paid once: a payment of the case to that
  recipient for that amount, or more, already on its way or settled, is enough; otherwise
  the payment of that (recipient, amount) is stored (new, or reinstated if it was
  cancelled), so a decision superseded again with a recipient and amount already paid
  pays nothing a third time;
- every other payment of the case not yet in a document is cancelled (the earlier
  recipient is told: ``PaymentCancelled``), with the reason;
- a payment already in a document (sent, or about to be: its bytes are frozen) is in
  flight and cannot be recalled: it runs its course. Settled, it opens a recovery case;
  rejected, it reaches ops as any rejection. The new payment does not wait for it.
- a decision with no recipient or amount (revoked, rejected, unresolved) cancels what was
  not sent and pays nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bank_gateway.case_state import CaseState
from bank_gateway.ids import grant_payment_id
from bank_gateway.payment_states import PaymentState
from bank_gateway.payments_due import PaymentDue

RECIPIENT_CHANGED = "recipient-changed"
AMOUNT_CHANGED = "amount-changed"
WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class GrantPayment:
    """A stored payment of a grant case; ``sent``: in a document (frozen, maybe at the bank)."""

    payment_id: str
    recipient_pin: str
    amount: Decimal
    state: PaymentState
    sent: bool

    @property
    def outgoing(self) -> bool:
        """On its way or paid: in a document and not rejected."""
        return self.sent and self.state is not PaymentState.REJECTED

    @property
    def cancellable(self) -> bool:
        return not self.sent and self.state is PaymentState.PENDING


@dataclass(frozen=True, slots=True)
class Cancellation:
    payment_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class GrantPlan:
    pay: PaymentDue | None
    cancel: tuple[Cancellation, ...]


def grant_plan(state: CaseState, stored: Sequence[GrantPayment], person_key: str) -> GrantPlan:
    """What ``state`` asks: the payment to store (or None) and those to cancel.

    ``person_key``: the keyed hash of the recipient's PIN (any string when none is due).
    """
    pay = _payment(state, stored, person_key)
    keep = pay.payment_id if pay else None
    cancel = tuple(
        Cancellation(p.payment_id, _why(state, p))
        for p in stored
        if p.cancellable and p.payment_id != keep
    )
    return GrantPlan(pay, cancel)


def _payment(
    state: CaseState, stored: Sequence[GrantPayment], person_key: str
) -> PaymentDue | None:
    if not state.grant_due or state.recipient is None or state.amount is None:
        return None
    pin, amount = state.recipient.pin, state.amount
    covering = [p for p in stored if p.outgoing and p.recipient_pin == pin and p.amount >= amount]
    same = [p for p in stored if p.recipient_pin == pin and p.amount == amount]
    if covering and not any(p.amount == amount for p in covering):
        return None  # already paid more than the latest decision says: see recovery
    chosen = same[0].payment_id if same else grant_payment_id(state.case_id, person_key, amount)
    return PaymentDue(
        chosen, state.case_id, state.decision_id, state.benefit, state.recipient, amount
    )


def _why(state: CaseState, payment: GrantPayment) -> str:
    if not state.grant_due or state.recipient is None:
        return WITHDRAWN
    return RECIPIENT_CHANGED if payment.recipient_pin != state.recipient.pin else AMOUNT_CHANGED
