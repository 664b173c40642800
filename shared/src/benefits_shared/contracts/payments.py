"""``payments``: what the bank gateway did at the partner bank.

Keyed by the keyed hash of the recipient's PIN, so a person's account and payments are
in order on one partition.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from benefits_shared.contracts.base import Contract
from benefits_shared.topics import PAYMENTS


class AccountOpened(Contract):
    """The recipient's account is open (or was already): notices may name it now."""

    NAME: ClassVar[str] = "account-opened"
    TOPIC: ClassVar[str] = PAYMENTS.name

    recipient_pin: str
    account_id: str
    account_last4: str
    bank_name: str
    decision_id: str | None = None

    def identity(self) -> tuple[str, ...]:
        return (self.account_id,)


class PaymentEvent(Contract):
    TOPIC: ClassVar[str] = PAYMENTS.name

    payment_id: str
    decision_id: str
    case_id: str
    recipient_pin: str
    amount: Decimal
    period_start: date | None = None
    period_end: date | None = None

    def identity(self) -> tuple[str, ...]:
        return (self.payment_id,)


class PaymentSubmitted(PaymentEvent):
    NAME: ClassVar[str] = "payment-submitted"

    msg_id: str


class PaymentSettled(PaymentEvent):
    NAME: ClassVar[str] = "payment-settled"


class PaymentRejected(PaymentEvent):
    NAME: ClassVar[str] = "payment-rejected"

    reason_code: str


class RecoveryOpened(Contract):
    """Money paid that turned out not to be due: a case for ops, never an automatic claw-back.

    ``period_start`` … ``period_end``: the first and last B2 day paid but no longer due
    (None for a one-time grant).
    """

    NAME: ClassVar[str] = "recovery-opened"
    TOPIC: ClassVar[str] = PAYMENTS.name

    recovery_id: str
    case_id: str
    decision_id: str
    recipient_pin: str | None = None
    amount: Decimal
    reason: str
    period_start: date | None = None
    period_end: date | None = None

    def identity(self) -> tuple[str, ...]:
        return (self.recovery_id,)


class PaymentCancelled(PaymentEvent):
    """A payment that will never be sent: a later decision of its case no longer asks for it.

    Told only for one-time grants (B1, B3), whose recipients were promised that very
    transfer (an allowance's unsent days are re-planned, not cancelled for good).
    ``cancelled_by``: the decision that stopped it; ``reason``: ``recipient-changed`` (the
    case now pays someone else), ``amount-changed`` (the same recipient, another amount,
    paid as another payment) or ``withdrawn`` (nobody is paid: revoked, rejected,
    unresolved). The notifier tells a recipient who was told of the payment, unless the
    case still pays them.
    """

    NAME: ClassVar[str] = "payment-cancelled"

    cancelled_by: str
    reason: str

    def identity(self) -> tuple[str, ...]:
        return (self.payment_id, self.cancelled_by)


class OwedToEstate(Contract):
    """Days of a monthly allowance due to a payee who died before they were paid (policy.md,
    B2): never sent to the bank, owed to the estate, on the ops unresolved queue.

    One event per month of days (``period_start`` … ``period_end``, ``days`` of them, at
    ``monthly_rate`` for a month of ``days_in_month`` days: ``amount``, rounded once).
    ``deceased_pin``: the payee who died (the key is its keyed hash, never the PIN);
    ``payment_id``: set when these are the days of a payment the bank refused (``MD07``).
    """

    NAME: ClassVar[str] = "owed-to-estate"
    TOPIC: ClassVar[str] = PAYMENTS.name

    owed_id: str
    case_id: str
    decision_id: str
    benefit: str
    deceased_pin: str
    died_on: date
    amount: Decimal
    month: date
    period_start: date
    period_end: date
    days: int
    monthly_rate: Decimal
    days_in_month: int
    reason: str
    payment_id: str | None = None

    def identity(self) -> tuple[str, ...]:
        return (self.owed_id,)
