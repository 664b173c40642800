"""What a decision asks of the bank, and the payments a case is owed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from bank_gateway.case_state import case_state
from bank_gateway.grant_payments import grant_plan
from bank_gateway.ids import grant_payment_id
from bank_gateway.payments_due import allowance_payments
from benefits_shared.contracts.decisions import BenefitDecided, Entitlement, RatePeriod, Recipient
from benefits_shared.errors import PoisonMessage

PAYEE = Recipient(pin="5AB7C9D", full_name="Əliyeva Şəbnəm", birth_date=date(1990, 5, 17))
RATES = (RatePeriod(from_month=date(2023, 1, 1), monthly_rate=Decimal("300.00")),)


def decided(benefit: str, outcome: str, **fields: Any) -> BenefitDecided:
    base: dict[str, Any] = {
        "decision_id": "d1",
        "case_id": f"{benefit}:c1",
        "benefit": benefit,
        "outcome": outcome,
        "decided_on": date(2026, 4, 1),
        "rule_version": "test/1",
        "parameters": {},
        "facts": {},
        "reason": "test",
    }
    return BenefitDecided(**(base | fields))


def entitlement(start: date, end: date | None = None) -> Entitlement:
    return Entitlement(group="I", start=start, end=end, rates=RATES)


def test_an_assigned_grant_is_paid_once_per_case_recipient_and_amount() -> None:
    state = case_state(decided("B1", "assigned", recipient=PAYEE, amount=Decimal("250.00")))
    payment = grant_plan(state, [], "key-of-payee").pay
    assert payment is not None
    expected = grant_payment_id("B1:c1", "key-of-payee", Decimal("250.00"))
    assert (payment.payment_id, payment.amount) == (expected, Decimal("250.00"))
    assert state.needs_account


@pytest.mark.parametrize("outcome", ["revoked", "rejected", "unresolved"])
def test_a_grant_no_longer_assigned_asks_for_nothing(outcome: str) -> None:
    state = case_state(decided("B3", outcome))
    assert grant_plan(state, [], "") == grant_plan(state, [], "other")
    assert grant_plan(state, [], "").pay is None
    assert not state.needs_account


def test_an_assigned_grant_without_an_amount_is_a_poison_message() -> None:
    with pytest.raises(PoisonMessage, match="without an amount"):
        case_state(decided("B1", "assigned", recipient=PAYEE))


def test_an_assigned_allowance_without_an_entitlement_is_a_poison_message() -> None:
    with pytest.raises(PoisonMessage, match="without an entitlement"):
        case_state(decided("B2", "assigned", recipient=PAYEE))


def test_an_ended_allowance_still_pays_its_days_up_to_the_end() -> None:
    ended = decided(
        "B2", "ended", recipient=PAYEE, entitlement=entitlement(date(2026, 1, 1), date(2026, 1, 15))
    )
    due = allowance_payments(case_state(ended), date(2026, 3, 1), paid=set(), arrears=True)
    # 300.00 × 15 / 31 = 145.16
    assert [(d.amount, d.line.period if d.line else None) for d in due] == [
        (Decimal("145.16"), (date(2026, 1, 1), date(2026, 1, 15)))
    ]


def test_a_run_without_arrears_pays_only_its_month() -> None:
    state = case_state(
        decided("B2", "assigned", recipient=PAYEE, entitlement=entitlement(date(2026, 1, 1)))
    )
    due = allowance_payments(state, date(2026, 3, 1), paid=set(), arrears=False)
    assert [d.line.month for d in due if d.line] == [date(2026, 3, 1)]


def test_the_engines_recovery_facts_are_kept() -> None:
    facts = {"recovery_case": {"why": "record cancelled after payment"}}
    state = case_state(
        decided("B1", "assigned", recipient=PAYEE, amount=Decimal("250.00"), facts=facts)
    )
    assert state.recovery == {"why": "record cancelled after payment"}


def holder_fact(pin: str, died: str | None) -> dict[str, Any]:
    return {"holder": {"pin": pin, "birth_date": "1990-05-17", "date_of_death": died}}


def test_the_death_of_a_holder_who_is_the_payee_is_read_from_the_decision_facts() -> None:
    ended = decided(
        "B2",
        "ended",
        recipient=PAYEE,
        entitlement=entitlement(date(2026, 1, 1), date(2026, 3, 15)),
        facts=holder_fact(PAYEE.pin, "2026-03-15"),
    )
    assert case_state(ended).payee_died_on == date(2026, 3, 15)


def test_a_living_holder_or_a_payee_who_is_not_the_holder_has_no_death_day() -> None:
    alive = decided(
        "B2",
        "assigned",
        recipient=PAYEE,
        entitlement=entitlement(date(2026, 1, 1)),
        facts=holder_fact(PAYEE.pin, None),
    )
    child = decided(
        "B2",
        "ended",
        recipient=PAYEE,
        entitlement=entitlement(date(2026, 1, 1), date(2026, 3, 15)),
        facts=holder_fact("7ZX3K2M", "2026-03-15"),  # the child died: their living mother is paid
    )
    assert case_state(alive).payee_died_on is None
    assert case_state(child).payee_died_on is None


def test_a_death_day_that_is_not_a_date_is_a_poison_message() -> None:
    broken = decided(
        "B2",
        "ended",
        recipient=PAYEE,
        entitlement=entitlement(date(2026, 1, 1)),
        facts=holder_fact(PAYEE.pin, "15.03.2026"),
    )
    with pytest.raises(PoisonMessage, match="date of death"):
        case_state(broken)
