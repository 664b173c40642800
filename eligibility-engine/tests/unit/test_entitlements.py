"""A B2 entitlement's rate schedule and what it is worth month by month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from eligibility_engine.entitlements import Entitlement, RatePeriod, amount_due, rate_schedule
from eligibility_engine.facts import Period
from eligibility_engine.parameters import Parameters

PACKAGED = Parameters.packaged()


def test_the_schedule_starts_at_the_first_month_and_lists_each_change_inside() -> None:
    rates, used = rate_schedule(PACKAGED, "III", Period(date(2025, 11, 20), date(2026, 2, 10)))
    assert rates == (
        RatePeriod(date(2025, 11, 1), Decimal("150.00")),
        RatePeriod(date(2026, 1, 1), Decimal("165.00")),
    )
    assert [r.key for r in used] == [
        "disability_allowance.monthly_rate.III@2023-01-01",
        "disability_allowance.monthly_rate.III@2026-01-01",
    ]


def test_a_change_after_the_entitlement_ends_is_not_in_its_schedule() -> None:
    rates, _ = rate_schedule(PACKAGED, "I", Period(date(2025, 3, 1), date(2025, 12, 31)))
    assert rates == (RatePeriod(date(2025, 3, 1), Decimal("300.00")),)


def test_a_rate_in_force_mid_month_prices_the_months_after_it(tmp_path: Path) -> None:
    (tmp_path / "disability_allowance.yaml").write_text(
        "monthly_rate:\n  II:\n    description: rate\n"
        "    metadata: {unit: AZN, reference: docs/policy.md, B2}\n"
        "    values:\n      2023-01-01: {value: 100.00}\n      2024-03-15: {value: 120.00}\n",
        encoding="utf-8",
    )
    rates, _ = rate_schedule(Parameters.from_directory(tmp_path), "II", Period(date(2024, 1, 1)))
    assert rates == (
        RatePeriod(date(2024, 1, 1), Decimal("100.00")),
        RatePeriod(date(2024, 4, 1), Decimal("120.00")),
    )


def test_worth_is_priced_per_month_by_days_and_rounded_once_per_month() -> None:
    rates = (RatePeriod(date(2024, 2, 1), Decimal("100.00")),)
    entitlement = Entitlement("II", Period(date(2024, 2, 10), date(2024, 3, 3)), rates)
    # February 2024: 100 x 20 / 29 = 68.9655 -> 68.97; March: 100 x 3 / 31 = 9.677 -> 9.68
    assert amount_due(entitlement, date(2030, 1, 1)) == Decimal("78.65")
    assert amount_due(entitlement, date(2024, 2, 29)) == Decimal("68.97")
    assert amount_due(entitlement, date(2024, 2, 1)) == Decimal("0.00")
