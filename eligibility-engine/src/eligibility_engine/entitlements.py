"""A monthly entitlement (B2): its days, and the rate schedule for the months it covers.

docs/policy.md (B2) prices month M at ``rate(M, group)``: the value in force on the first day
of M. The schedule lists the rate of the first month and every change after it, so the
payroll never needs the parameter files.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from benefits_shared.contracts.life_events import DisabilityGroup
from benefits_shared.money import round_half_up

from eligibility_engine.facts import Period
from eligibility_engine.parameters import ParameterReading, Parameters


@dataclass(frozen=True, slots=True)
class RatePeriod:
    """The monthly rate for months starting on or after ``from_month`` (a 1st of month)."""

    from_month: date
    monthly_rate: Decimal


@dataclass(frozen=True, slots=True)
class Entitlement:
    group: DisabilityGroup
    period: Period
    rates: tuple[RatePeriod, ...]

    @property
    def start(self) -> date:
        return self.period.start

    @property
    def end(self) -> date | None:
        return self.period.end

    def rate_for(self, month: date) -> Decimal:
        first = month_start(month)
        return max(
            (r for r in self.rates if r.from_month <= first), key=lambda r: r.from_month
        ).monthly_rate


def rate_parameter(group: DisabilityGroup) -> str:
    return f"disability_allowance.monthly_rate.{group}"


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (month_start(day) + timedelta(days=32)).replace(day=1)


def days_in_month(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def rate_schedule(
    parameters: Parameters, group: DisabilityGroup, period: Period
) -> tuple[tuple[RatePeriod, ...], tuple[ParameterReading, ...]]:
    """The rates for the months of ``period`` and the parameter values they came from."""
    name = rate_parameter(group)
    first = month_start(period.start)
    months = [first] + [_month_of_change(d) for d in parameters.changes(name)]
    last = month_start(period.end) if period.end else None
    candidates = sorted({m for m in months if m >= first and (last is None or m <= last)})
    priced = [(month, parameters.reading(name, month)) for month in candidates]
    kept = [p for i, p in enumerate(priced) if i == 0 or p[1].value != priced[i - 1][1].value]
    return tuple(RatePeriod(m, r.amount) for m, r in kept), tuple(r for _, r in kept)


def _month_of_change(day: date) -> date:
    """The first month priced at a value in force from ``day``."""
    return day if day.day == 1 else next_month(day)


def amount_due(entitlement: Entitlement, through: date) -> Decimal:
    """What the entitlement is worth from its start to ``through`` (or its end, if earlier).

    Each month: rate × entitled days ÷ days in the month, rounded once, half-up; this is
    how the monthly payroll prices it (shadow mode uses it to compare rule versions).
    """
    last = min(through, entitlement.end) if entitlement.end else through
    total = Decimal("0.00")
    if last < entitlement.start:
        return total
    month = month_start(entitlement.start)
    while month <= last:
        end_of_month = month + timedelta(days=days_in_month(month) - 1)
        days = (min(last, end_of_month) - max(entitlement.start, month)).days + 1
        share = entitlement.rate_for(month) * days / days_in_month(month)
        total += round_half_up(share)
        month = next_month(month)
    return total
