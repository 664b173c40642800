"""What a notice says, taken from the decision and the recipient's account.

- ``amount``: the grant (B1, B3), or the monthly rate (B2) in force on the decision day,
  held within the entitlement (a future start: its first month's rate; an end in the
  past: the last month's).
- ``reference``: what a citizen quotes at the call centre: the benefit and the first 8
  hex digits of the decision id (``B1-3F9A0C12``). It is never shaped like a PIN (8, not 7,
  characters) and ops find the decision by that prefix.
- ``until``: the last day paid, for the end of a monthly entitlement and the coming
  re-examination.
- ``bank_name`` and ``account_last4``: only once the account is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from benefits_shared.contracts.decisions import BenefitDecided, Entitlement
from benefits_shared.contracts.payments import AccountOpened
from benefits_shared.money import Money

from notifier.errors import MissingNoticeField

REFERENCE_DIGITS = 8


@dataclass(frozen=True, slots=True)
class NoticeFields:
    amount: Money
    reference: str
    until: date | None = None
    bank_name: str | None = None
    account_last4: str | None = None

    @property
    def account_known(self) -> bool:
        return bool(self.bank_name and self.account_last4)


def reference_of(decision: BenefitDecided) -> str:
    digits = decision.decision_id.replace("-", "")[:REFERENCE_DIGITS].upper()
    return f"{decision.benefit}-{digits}"


def fields_of(decision: BenefitDecided, account: AccountOpened | None) -> NoticeFields:
    return NoticeFields(
        amount=_amount(decision),
        reference=reference_of(decision),
        until=decision.entitlement.end if decision.entitlement else None,
        bank_name=account.bank_name if account else None,
        account_last4=account.account_last4 if account else None,
    )


def _amount(decision: BenefitDecided) -> Money:
    if decision.benefit != "B2":
        if decision.amount is None:
            raise MissingNoticeField(f"{decision.benefit} decision without an amount")
        return Money(decision.amount)
    if decision.entitlement is None:
        raise MissingNoticeField("B2 decision without an entitlement: no monthly rate")
    return _monthly_rate(decision.entitlement, decision.decided_on)


def _monthly_rate(entitlement: Entitlement, decided_on: date) -> Money:
    day = max(decided_on, entitlement.start)
    if entitlement.end is not None:
        day = min(day, entitlement.end)
    month = day.replace(day=1)
    in_force = [r for r in entitlement.rates if r.from_month <= month]
    if not in_force:
        raise MissingNoticeField(f"no monthly rate in force in {month:%Y-%m}")
    return Money(max(in_force, key=lambda r: r.from_month).monthly_rate)
