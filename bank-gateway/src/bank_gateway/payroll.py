"""B2 payroll: what a monthly run pays, and what turned out not to be due.

policy.md (B2): a run for month M pays every entitlement day in M not paid before,
``amount = rate(M, group) × days ÷ days in M``, rounded once, half-up, to 0.01 AZN. A run
repeated for the same month pays nothing new. Days already paid that later turn out not
to be due open a recovery case; nothing is clawed back automatically.

The caller passes the days already paid (for this person's allowance, whatever case paid
them): that is what makes a repeated run pay nothing and overlapping certificates never
pay a day twice.
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
    """Days of one month priced at that month's rate: a payment, or a recovery."""

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
    return PayrollLine(days[0], due, rate, len(days), _worth(rate, len(due), len(days)))


def days_no_longer_due(entitlement: Entitlement, paid: Iterable[date]) -> tuple[date, ...]:
    """Days paid that the entitlement (cut short since) does not cover, in order."""
    return tuple(sorted(d for d in set(paid) if not is_entitled(entitlement, d)))


def recovery_lines(entitlement: Entitlement, paid: Collection[date]) -> tuple[PayrollLine, ...]:
    """Per month, the days paid but no longer due and what they were worth when paid.

    Their worth is what the month's paid days cost minus what its still-due paid days are
    worth, each rounded once as a payroll line is, so that paid = still due + recovery.
    """
    months = sorted({first_of_month(d) for d in days_no_longer_due(entitlement, paid)})
    return tuple(_recovery(entitlement, month, paid) for month in months)


def _recovery(entitlement: Entitlement, month: date, paid: Collection[date]) -> PayrollLine:
    days = month_days(month)
    paid_here = [d for d in days if d in paid]
    undue = tuple(d for d in paid_here if not is_entitled(entitlement, d))
    rate = rate_for(entitlement.rates, month)
    worth = _worth(rate, len(paid_here), len(days))
    still_due = _worth(rate, len(paid_here) - len(undue), len(days))
    return PayrollLine(days[0], undue, rate, len(days), worth - still_due)


def _worth(monthly_rate: Decimal, days: int, days_in_month: int) -> Decimal:
    return round_half_up(monthly_rate * days / days_in_month)
