"""B2 days due to a payee who died before they were paid: owed to the estate (policy.md, B2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bank_gateway.case_state import CaseState
from bank_gateway.estate import REFUSED, RefusedPayment, owed_to_estate, refused_owed
from bank_gateway.ids import owed_id
from bank_gateway.payments_due import allowance_payments
from benefits_shared.contracts.decisions import Entitlement, RatePeriod, Recipient

HOLDER = Recipient(pin="5AB7C9D", full_name="Əliyeva Şəbnəm", birth_date=date(1960, 5, 17))
GROUP_I = (
    RatePeriod(from_month=date(2023, 1, 1), monthly_rate=Decimal("300.00")),
    RatePeriod(from_month=date(2026, 1, 1), monthly_rate=Decimal("330.00")),
)


def ended(died: date | None) -> CaseState:
    entitlement = Entitlement(group="I", start=date(2026, 1, 10), end=died, rates=GROUP_I)
    return CaseState("B2:MSE-1", "B2", "d2", "ended", HOLDER, None, entitlement, None, died)


def test_the_unpaid_days_of_a_holder_who_died_are_owed_to_the_estate_month_by_month() -> None:
    state = ended(date(2026, 3, 15))
    january = {date(2026, 1, d) for d in range(10, 32)}
    due = allowance_payments(state, date(2026, 3, 1), january, arrears=True)
    pay, owed = owed_to_estate(state, due)
    assert pay == []
    # February in full (330.00), then 15 of 31 March days: 330.00 × 15 / 31 = 159.677… → 159.68
    assert [(o.line.month, o.line.amount, len(o.line.days)) for o in owed] == [
        (date(2026, 2, 1), Decimal("330.00"), 28),
        (date(2026, 3, 1), Decimal("159.68"), 15),
    ]
    assert owed[1].owed_id == owed_id("B2:MSE-1", (date(2026, 3, 1), date(2026, 3, 15)))
    assert {(o.deceased.pin, o.died_on) for o in owed} == {(HOLDER.pin, date(2026, 3, 15))}


def test_a_living_payee_is_paid_as_before() -> None:
    state = ended(None)
    due = allowance_payments(state, date(2026, 2, 1), set(), arrears=True)
    assert owed_to_estate(state, due) == (due, [])


def test_days_already_paid_or_owed_are_not_owed_again() -> None:
    state = ended(date(2026, 3, 15))
    first = owed_to_estate(state, allowance_payments(state, date(2026, 3, 1), set(), True))[1]
    taken = {d for o in first for d in o.line.days}
    assert allowance_payments(state, date(2026, 3, 1), taken, arrears=True) == []


def refused(code: str, first: date, last: date, amount: str) -> RefusedPayment:
    days = tuple(date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1))
    return RefusedPayment(f"p-{first}", code, Decimal(amount), days, Decimal("330.00"), 31)


def test_days_the_bank_refused_because_the_payee_died_are_owed_once_the_death_is_known() -> None:
    march = refused("MD07", date(2026, 3, 1), date(2026, 3, 15), "159.68")
    closed = refused("AC04", date(2026, 1, 10), date(2026, 1, 31), "234.19")
    owed = refused_owed(ended(date(2026, 3, 15)), [march, closed])
    assert [(o.owed_id, o.payment_id, o.line.amount, o.reason) for o in owed] == [
        (
            owed_id("B2:MSE-1", (date(2026, 3, 1), date(2026, 3, 15))),
            march.payment_id,
            Decimal("159.68"),
            REFUSED,
        )
    ]
    assert refused_owed(ended(None), [march]) == []  # not known to be dead yet: ops, as a rejection
