"""Money paid that turned out not to be due: what recovery cases to open for ops.

Nothing is clawed back automatically (docs/policy.md): a recovery case says what was paid and
is no longer due, and ops take it from there. Only settled money counts; each undue day
and each grant is put in a recovery case once, so running this again after every
decision and every settlement opens only what is new.

- A grant (B1, B3) paid and then revoked or rejected, or flagged by the engine
  (``facts.recovery_case``: the record was cancelled after it was paid), is recovered
  whole. A grant paid and then superseded by a decision naming another recipient or a
  higher amount (paid anew, see :mod:`bank_gateway.grant_payments`) is recovered whole;
  superseded by a lower amount for the same recipient, the difference. Each settled
  payment is recovered at most down to what is still due on it: a recovery per payment
  and amount still due (``payment_id``), so nothing is opened twice. A decision with no
  recipient that is not a withdrawal (unresolved) recovers nothing: ops have the case.
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
from bank_gateway.ids import payment_id
from bank_gateway.payroll import first_of_month, is_entitled, worth

UNDUE = "days were paid that are no longer due"
WITHDRAWN_GRANT = "the grant was paid and the decision was withdrawn"
_ZERO = Decimal(0)
SUPERSEDED_GRANT = "the grant was paid and a later decision pays it to another recipient or amount"


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
    payment_id: str | None = None  # the grant payment recovered (None: B2, or stored before)


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


def may_be_undue(
    state: CaseState, days: Iterable[date], paid: SettledPayment | None = None
) -> bool:
    """Whether money paid on ``state``'s case for ``days`` (B2), or the grant payment
    ``paid``, may be undue now."""
    if state.withdrawn or state.recovery is not None:
        return True
    if state.benefit != "B2":
        return paid is not None and _still_due(state, paid, [paid]) < paid.amount
    undue = _undue_test(state)
    return undue is not None and any(undue(d) for d in days)


def _grant(
    state: CaseState, settled: Sequence[SettledPayment], opened: Sequence[Recovery]
) -> list[Recovery]:
    if not (state.withdrawn or state.recovery is not None or state.grant_due):
        return []
    reason = _reason(state, SUPERSEDED_GRANT if state.grant_due else WITHDRAWN_GRANT)
    out = []
    for paid in settled:
        keep = _still_due(state, paid, settled)
        done = sum((r.amount for r in opened if _recovered(r, state) == paid.payment_id), _ZERO)
        back = paid.amount - keep - done
        if back > 0:
            rid = deterministic_id("recovery", state.case_id, paid.payment_id, f"{keep:.2f}")
            out.append(Recovery(str(rid), back, reason, payment_id=paid.payment_id))
    return out


def _still_due(
    state: CaseState, paid: SettledPayment, settled: Sequence[SettledPayment]
) -> Decimal:
    """What of ``paid`` the latest decision still owes its recipient: the amount, on the one
    settled payment that is its grant (the same recipient, that amount or the least above
    it); nothing on any other, or when the grant is withdrawn or flagged."""
    if state.withdrawn or state.recovery is not None or not state.grant_due:
        return _ZERO
    assert state.recipient is not None and state.amount is not None
    pin, amount = state.recipient.pin, state.amount
    mine = [p for p in settled if p.recipient_pin == pin and p.amount >= amount]
    standing = min(mine, key=lambda p: (p.amount, p.payment_id), default=None)
    return amount if standing is not None and standing.payment_id == paid.payment_id else _ZERO


def _recovered(recovery: Recovery, state: CaseState) -> str:
    """The payment a grant recovery is for; one stored before recoveries named their
    payment recovered the case's only payment, named as grants were then."""
    return recovery.payment_id or payment_id(state.case_id)


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
