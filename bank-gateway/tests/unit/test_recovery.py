"""Recovery cases: money paid that a later decision says was not due (docs/policy.md, B1 and B2)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bank_gateway.case_state import CaseState
from bank_gateway.recovery import SettledPayment, may_be_undue, recoveries
from benefits_shared.contracts.decisions import Entitlement, RatePeriod, Recipient

GROUP_II = (
    RatePeriod(from_month=date(2023, 1, 1), monthly_rate=Decimal("220.00")),
    RatePeriod(from_month=date(2026, 1, 1), monthly_rate=Decimal("240.00")),
)
PAYEE = Recipient(pin="5AB7C9D", full_name="Əliyeva Şəbnəm", birth_date=date(1990, 5, 17))


def days(first: date, last: date) -> tuple[date, ...]:
    return tuple(first + timedelta(n) for n in range((last - first).days + 1))


def allowance(outcome: str, end: date | None, **extra: Any) -> CaseState:
    entitlement = Entitlement(group="II", start=date(2026, 3, 10), end=end, rates=GROUP_II)
    fields: dict[str, Any] = {"recovery": None} | extra
    return CaseState("B2:MSE-1", "B2", "d2", outcome, PAYEE, None, entitlement, **fields)


def grant(outcome: str, recovery: dict[str, str] | None = None) -> CaseState:
    return CaseState("B1:x", "B1", "d2", outcome, PAYEE, Decimal("250.00"), None, recovery)


def paid_month(first: date, last: date, amount: str, in_month: int) -> SettledPayment:
    return SettledPayment(
        "p", "5AB7C9D", Decimal(amount), days(first, last), Decimal("240.00"), in_month
    )


MARCH = paid_month(date(2026, 3, 10), date(2026, 3, 31), "170.32", 31)
APRIL = paid_month(date(2026, 4, 1), date(2026, 4, 30), "240.00", 30)


def test_a_death_reported_late_recovers_what_the_undue_days_were_worth_when_paid() -> None:
    found = recoveries(allowance("ended", date(2026, 3, 20)), [MARCH, APRIL], [])
    # March paid 170.32 for 22 days; 11 stay due: 240.00 × 11 / 31 = 85.16; 170.32 − 85.16
    assert [(r.month, r.amount, len(r.days)) for r in found] == [
        (date(2026, 3, 1), Decimal("85.16"), 11),
        (date(2026, 4, 1), Decimal("240.00"), 30),
    ]
    assert found[0].days[0] == date(2026, 3, 21)


def test_nothing_is_recovered_while_every_paid_day_is_due() -> None:
    assert recoveries(allowance("assigned", None), [MARCH], []) == []


def test_recovery_cases_already_open_are_not_opened_again() -> None:
    state = allowance("ended", date(2026, 3, 20))
    first = recoveries(state, [MARCH, APRIL], [])
    assert recoveries(state, [MARCH, APRIL], first) == []


def test_an_entitlement_cut_shorter_again_recovers_only_the_difference() -> None:
    before = recoveries(allowance("ended", date(2026, 3, 20)), [MARCH], [])
    again = recoveries(allowance("ended", date(2026, 3, 15)), [MARCH], before)
    # 10–15 March stay due: 240.00 × 6 / 31 = 46.45; 170.32 − 46.45 − 85.16 recovered before
    # = 38.71 for 16–20 March.
    assert [(r.amount, r.days[0], r.days[-1]) for r in again] == [
        (Decimal("38.71"), date(2026, 3, 16), date(2026, 3, 20))
    ]


def test_a_revoked_allowance_recovers_every_paid_day() -> None:
    found = recoveries(allowance("revoked", None), [MARCH], [])
    assert [(r.amount, len(r.days)) for r in found] == [(Decimal("170.32"), 22)]


def test_an_unresolved_payee_says_nothing_about_paid_days() -> None:
    assert recoveries(allowance("unresolved", None), [MARCH], []) == []


def test_a_grant_paid_then_cancelled_stays_and_is_recovered_once() -> None:
    flagged = grant("assigned", {"why": "record B-1 was cancelled after the grant was paid"})
    paid = [SettledPayment("p", "5AB7C9D", Decimal("250.00"))]
    found = recoveries(flagged, paid, [])
    assert [(r.amount, r.reason) for r in found] == [
        (Decimal("250.00"), "record B-1 was cancelled after the grant was paid")
    ]
    assert recoveries(flagged, paid, found) == []


def test_a_grant_revoked_while_its_payment_was_in_flight_is_recovered() -> None:
    paid = [SettledPayment("p", "5AB7C9D", Decimal("250.00"))]
    assert [r.amount for r in recoveries(grant("revoked"), paid, [])] == [Decimal("250.00")]


def test_nothing_is_recovered_of_what_was_never_paid() -> None:
    assert recoveries(grant("revoked"), [], []) == []
    assert recoveries(allowance("revoked", None), [], []) == []


def test_a_plain_grant_is_never_suspected() -> None:
    assert not may_be_undue(grant("assigned"), ())
    assert may_be_undue(grant("revoked"), ())
    assert may_be_undue(allowance("ended", date(2026, 3, 20)), [date(2026, 3, 21)])
    assert not may_be_undue(allowance("ended", date(2026, 3, 20)), [date(2026, 3, 20)])


def test_recovery_ids_are_named_by_the_case_and_the_days() -> None:
    march_only = recoveries(allowance("ended", date(2026, 3, 20)), [MARCH], [])
    shorter = recoveries(allowance("ended", date(2026, 3, 19)), [MARCH], [])
    assert (
        march_only[0].recovery_id
        == recoveries(allowance("ended", date(2026, 3, 20)), [MARCH], [])[0].recovery_id
    )
    assert march_only[0].recovery_id != shorter[0].recovery_id
