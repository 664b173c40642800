"""B2 payroll: what a monthly run pays.

docs/policy.md (B2): a run for month M pays every entitlement day in M not paid before,
``amount = rate(M, group) × days ÷ days in M``, rounded once, half-up, to 0.01 AZN. A run
repeated for the same month pays nothing new. (Days already paid that later turn out not
to be due: see :mod:`bank_gateway.recovery`.)

The caller passes the days already paid for the case (in any payment not cancelled, so
rejected days wait for ops rather than being paid again): that is what makes a repeated
run pay nothing. A certificate that replaces another is another case whose entitlement the
engine starts the day after the old one ends, so no day is in two entitlements.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from benefits_shared.contracts.decisions import Entitlement, RatePeriod
from benefits_shared.money import round_half_up

from bank_gateway.errors import NoRateInForce


@dataclass(frozen=True, slots=True)
class PayrollLine:
    """Days of one month priced at that month's rate: one payment."""

    month: date
    days: tuple[date, ...]
    monthly_rate: Decimal
    days_in_month: int
    amount: Decimal

    @property
    def period(self) -> tuple[date, date]:
        return self.days[0], self.days[-1]


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def month_days(month: date) -> tuple[date, ...]:
    first = first_of_month(month)
    count = calendar.monthrange(first.year, first.month)[1]
    return tuple(first + timedelta(days=n) for n in range(count))


def rate_for(rates: Iterable[RatePeriod], month: date) -> Decimal:
    """The monthly rate in force for ``month``: the latest period starting on or before it."""
    first = first_of_month(month)
    in_force = [r for r in rates if r.from_month <= first]
    if not in_force:
        raise NoRateInForce(f"no monthly rate in force for {first:%Y-%m}")
    return max(in_force, key=lambda r: r.from_month).monthly_rate


def is_entitled(entitlement: Entitlement, day: date) -> bool:
    return entitlement.start <= day and (entitlement.end is None or day <= entitlement.end)


def payroll_line(
    entitlement: Entitlement, month: date, paid: Collection[date]
) -> PayrollLine | None:
    """What the run for ``month`` pays; None when every entitled day of it was paid before."""
    days = month_days(month)
    due = tuple(d for d in days if is_entitled(entitlement, d) and d not in paid)
    if not due:
        return None
    rate = rate_for(entitlement.rates, month)
    return PayrollLine(days[0], due, rate, len(days), worth(rate, len(due), len(days)))


def lines_through(
    entitlement: Entitlement, last_month: date, paid: Collection[date]
) -> list[PayrollLine]:
    """Every month's line from the entitlement's first month through ``last_month``: a
    run that pays arrears too (months a late decision missed)."""
    month, last = first_of_month(entitlement.start), first_of_month(last_month)
    if entitlement.end is not None:
        last = min(last, first_of_month(entitlement.end))
    lines = []
    while month <= last:
        line = payroll_line(entitlement, month, paid)
        if line is not None:
            lines.append(line)
        month = next_month(month)
    return lines


def next_month(month: date) -> date:
    first = first_of_month(month)
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return first_of_month(first_of_month(month) - timedelta(days=1))


def worth(monthly_rate: Decimal, days: int, days_in_month: int) -> Decimal:
    return round_half_up(monthly_rate * days / days_in_month)
