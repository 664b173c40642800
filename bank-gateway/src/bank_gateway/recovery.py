"""Money paid that turned out not to be due: what recovery cases to open for ops.

Nothing is clawed back automatically (docs/policy.md): a recovery case says what was paid and
is no longer due, and ops take it from there. Only settled money counts; each undue day
and each grant is put in a recovery case once, so running this again after every
decision and every settlement opens only what is new.

- A grant (B1, B3) paid and then revoked or rejected, or flagged by the engine
  (``facts.recovery_case``: the record was cancelled after it was paid), is recovered
  whole, once per case.
- B2 days paid that the case's entitlement no longer covers (a death reported late, a
  revoked certificate) are recovered month by month at what they were worth when paid:
  the month's paid amount minus what its still-due paid days are worth (each rounded once,
  as a payroll line is) minus what that month already put in recovery, so that paid =
  still due + recovered, to the qəpik.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from benefits_shared.cloudevents import deterministic_id

from bank_gateway.case_state import CaseState
from bank_gateway.payroll import first_of_month, is_entitled, worth

UNDUE = "days were paid that are no longer due"
WITHDRAWN_GRANT = "the grant was paid and the decision was withdrawn"


@dataclass(frozen=True, slots=True)
class SettledPayment:
    """A settled payment as the recovery rules see it (days and rate: B2 only)."""

    payment_id: str
    recipient_pin: str
    amount: Decimal
    days: tuple[date, ...] = ()
    monthly_rate: Decimal | None = None
    days_in_month: int | None = None


@dataclass(frozen=True, slots=True)
class Recovery:
    recovery_id: str
    amount: Decimal
    reason: str
    month: date | None = None
    days: tuple[date, ...] = ()


def recoveries(
    state: CaseState, settled: Sequence[SettledPayment], opened: Sequence[Recovery]
) -> list[Recovery]:
    """The recovery cases to open now for the case ``state`` describes."""
    if not settled:
        return []
    if state.benefit == "B2":
        undue = _undue_test(state)
        return [] if undue is None else _allowance(state, settled, opened, undue)
    return _grant(state, settled, opened)


def may_be_undue(state: CaseState, days: Iterable[date]) -> bool:
    """Whether money paid on ``state``'s case for ``days`` (none: a grant) may be undue now."""
    if state.withdrawn or state.recovery is not None:
        return True
    undue = _undue_test(state) if state.benefit == "B2" else None
    return undue is not None and any(undue(d) for d in days)


def _grant(
    state: CaseState, settled: Sequence[SettledPayment], opened: Sequence[Recovery]
) -> list[Recovery]:
    if opened or not (state.withdrawn or state.recovery is not None):
        return []
    reason = _reason(state, WITHDRAWN_GRANT)
    paid = sum((p.amount for p in settled), Decimal(0))
    return [Recovery(str(deterministic_id("recovery", state.case_id)), paid, reason)]


def _undue_test(state: CaseState) -> Callable[[date], bool] | None:
    """Which paid days are no longer due; None when the decision does not say (unresolved)."""
    if state.withdrawn:
        return lambda _: True
    entitlement = state.allowance
    if entitlement is None:
        return None
    return lambda day: not is_entitled(entitlement, day)


def _allowance(
    state: CaseState,
    settled: Sequence[SettledPayment],
    opened: Sequence[Recovery],
    undue: Callable[[date], bool],
) -> list[Recovery]:
    months = sorted({first_of_month(d) for p in settled for d in p.days if undue(d)})
    out = []
    for month in months:
        recovery = _month(state, month, settled, [r for r in opened if r.month == month], undue)
        if recovery is not None:
            out.append(recovery)
    return out


def _month(
    state: CaseState,
    month: date,
    settled: Sequence[SettledPayment],
    opened: Sequence[Recovery],
    undue: Callable[[date], bool],
) -> Recovery | None:
    paid = [p for p in settled if p.days and first_of_month(p.days[0]) == month]
    already = {d for r in opened for d in r.days}
    new = tuple(sorted(d for p in paid for d in p.days if undue(d) and d not in already))
    if not new:
        return None
    amount = sum((p.amount - _still_due_worth(p, undue) for p in paid), Decimal(0))
    amount -= sum((r.amount for r in opened), Decimal(0))
    if amount <= 0:
        return None
    rid = deterministic_id("recovery", state.case_id, new[0].isoformat(), new[-1].isoformat())
    return Recovery(str(rid), amount, _reason(state, UNDUE), month, new)


def _still_due_worth(payment: SettledPayment, undue: Callable[[date], bool]) -> Decimal:
    assert payment.monthly_rate is not None and payment.days_in_month is not None
    due = sum(1 for d in payment.days if not undue(d))
    return worth(payment.monthly_rate, due, payment.days_in_month)


def _reason(state: CaseState, default: str) -> str:
    why = (state.recovery or {}).get("why")
    return str(why) if why else default
