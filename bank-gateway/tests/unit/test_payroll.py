"""B2 payroll by docs/policy.md, every expected amount worked out by hand in the test."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from bank_gateway.errors import NoRateInForce
from bank_gateway.payroll import (
    lines_through,
    month_days,
    next_month,
    payroll_line,
    previous_month,
)
from benefits_shared.contracts.decisions import Entitlement, RatePeriod

GROUP_II = (
    RatePeriod(from_month=date(2023, 1, 1), monthly_rate=Decimal("220.00")),
    RatePeriod(from_month=date(2026, 1, 1), monthly_rate=Decimal("240.00")),
)
GROUP_I = (
    RatePeriod(from_month=date(2023, 1, 1), monthly_rate=Decimal("300.00")),
    RatePeriod(from_month=date(2026, 1, 1), monthly_rate=Decimal("330.00")),
)


def days(first: date, last: date) -> set[date]:
    return {first + timedelta(n) for n in range((last - first).days + 1)}


def group_ii(start: date, end: date | None = None) -> Entitlement:
    return Entitlement(group="II", start=start, end=end, rates=GROUP_II)


def test_first_month_is_prorated_by_the_entitled_days() -> None:
    line = payroll_line(group_ii(date(2026, 3, 10)), date(2026, 3, 1), paid=set())
    assert line is not None
    # 240.00 × 22 / 31 = 170.3225… → 170.32 (rounding each day first would give 170.28)
    assert line.amount == Decimal("170.32")
    assert (line.monthly_rate, line.days_in_month, len(line.days)) == (Decimal("240.00"), 31, 22)
    assert line.period == (date(2026, 3, 10), date(2026, 3, 31))


def test_a_full_month_pays_the_monthly_rate() -> None:
    line = payroll_line(group_ii(date(2026, 3, 10)), date(2026, 4, 1), paid=set())
    assert line is not None
    assert line.amount == Decimal("240.00")


def test_each_month_is_paid_at_the_rate_in_force_for_that_month() -> None:
    entitlement = group_ii(date(2025, 12, 15))
    december = payroll_line(entitlement, date(2025, 12, 1), paid=set())
    january = payroll_line(entitlement, date(2026, 1, 1), paid=set())
    assert december is not None and january is not None
    # 220.00 × 17 / 31 = 120.6451… → 120.65, then the 2026 rate in full
    assert december.amount == Decimal("120.65")
    assert january.amount == Decimal("240.00")


def test_a_repeated_run_for_the_same_month_pays_nothing_new() -> None:
    entitlement = group_ii(date(2026, 3, 10))
    first = payroll_line(entitlement, date(2026, 3, 1), paid=set())
    assert first is not None
    assert payroll_line(entitlement, date(2026, 3, 1), paid=set(first.days)) is None


def test_days_paid_under_a_replaced_certificate_are_not_paid_twice() -> None:
    paid_by_old = days(date(2026, 3, 1), date(2026, 3, 15))
    line = payroll_line(group_ii(date(2026, 3, 10)), date(2026, 3, 1), paid=paid_by_old)
    assert line is not None
    # 16 … 31 March: 240.00 × 16 / 31 = 123.8709… → 123.87
    assert line.period == (date(2026, 3, 16), date(2026, 3, 31))
    assert line.amount == Decimal("123.87")


def test_an_entitlement_ending_mid_month_pays_up_to_its_last_day() -> None:
    entitlement = Entitlement(
        group="I", start=date(2026, 1, 1), end=date(2026, 2, 14), rates=GROUP_I
    )
    line = payroll_line(entitlement, date(2026, 2, 1), paid=set())
    assert line is not None
    # February 2026 has 28 days: 330.00 × 14 / 28 = 165.00
    assert (line.amount, line.days_in_month) == (Decimal("165.00"), 28)


def test_months_outside_the_entitlement_pay_nothing() -> None:
    entitlement = group_ii(date(2026, 3, 10), end=date(2026, 5, 31))
    assert payroll_line(entitlement, date(2026, 2, 1), paid=set()) is None
    assert payroll_line(entitlement, date(2026, 6, 1), paid=set()) is None


def test_half_a_qepik_rounds_up() -> None:
    odd_rate = (RatePeriod(from_month=date(2023, 1, 1), monthly_rate=Decimal("100.01")),)
    entitlement = Entitlement(group="III", start=date(2026, 6, 16), rates=odd_rate)
    line = payroll_line(entitlement, date(2026, 6, 1), paid=set())
    assert line is not None
    # 100.01 × 15 / 30 = 50.005 → 50.01 (half-even would give 50.00)
    assert line.amount == Decimal("50.01")


def test_a_month_before_every_rate_period_is_an_error() -> None:
    entitlement = Entitlement(group="II", start=date(2022, 12, 1), rates=GROUP_II)
    with pytest.raises(NoRateInForce):
        payroll_line(entitlement, date(2022, 12, 1), paid=set())


def test_a_leap_february_has_29_days() -> None:
    assert len(month_days(date(2028, 2, 1))) == 29


def test_a_run_with_arrears_pays_each_closed_month_at_its_own_rate() -> None:
    lines = lines_through(group_ii(date(2025, 12, 15)), date(2026, 2, 1), paid=set())
    # December 2025: 220.00 × 17 / 31 = 120.65; then January and February at the 2026 rate.
    assert [(line.month, line.amount) for line in lines] == [
        (date(2025, 12, 1), Decimal("120.65")),
        (date(2026, 1, 1), Decimal("240.00")),
        (date(2026, 2, 1), Decimal("240.00")),
    ]


def test_arrears_stop_at_the_end_of_the_entitlement_and_skip_paid_months() -> None:
    entitlement = group_ii(date(2026, 1, 1), end=date(2026, 2, 14))
    paid = days(date(2026, 1, 1), date(2026, 1, 31))
    lines = lines_through(entitlement, date(2026, 5, 1), paid)
    # Only 1–14 February: 240.00 × 14 / 28 = 120.00
    assert [(line.period, line.amount) for line in lines] == [
        ((date(2026, 2, 1), date(2026, 2, 14)), Decimal("120.00"))
    ]


def test_months_step_over_the_year() -> None:
    assert next_month(date(2025, 12, 20)) == date(2026, 1, 1)
    assert previous_month(date(2026, 1, 1)) == date(2025, 12, 1)
