"""A one-time grant superseded before, during and after its payment (policy.md, Bank)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bank_gateway.case_state import CaseState
from bank_gateway.grant_payments import (
    AMOUNT_CHANGED,
    RECIPIENT_CHANGED,
    WITHDRAWN,
    Cancellation,
    GrantPayment,
    grant_plan,
)
from bank_gateway.ids import grant_payment_id, payment_id
from bank_gateway.payment_states import PaymentState
from bank_gateway.recovery import Recovery, SettledPayment, may_be_undue, recoveries
from benefits_shared.contracts.decisions import Recipient

MOTHER = Recipient(pin="5AB7C9D", full_name="Əliyeva Şəbnəm", birth_date=date(1990, 5, 17))
FATHER = Recipient(pin="7ZX3K2M", full_name="Əliyev Rəşad", birth_date=date(1988, 2, 3))
KEYS = {MOTHER.pin: "key-mother", FATHER.pin: "key-father"}
P, S, X = PaymentState.PENDING, PaymentState.SUBMITTED, PaymentState.SETTLED


def assigned(recipient: Recipient, amount: str, decision: str = "d2") -> CaseState:
    return CaseState("B1:c", "B1", decision, "assigned", recipient, Decimal(amount), None, None)


def withdrawn(outcome: str) -> CaseState:
    return CaseState("B1:c", "B1", "d2", outcome, None, None, None, None)


def stored(recipient: Recipient, amount: str, state: PaymentState, sent: bool) -> GrantPayment:
    pid = grant_payment_id("B1:c", KEYS[recipient.pin], Decimal(amount))
    return GrantPayment(pid, recipient.pin, Decimal(amount), state, sent)


def plan(state: CaseState, payments: list[GrantPayment]) -> tuple[str | None, list[Cancellation]]:
    key = KEYS[state.recipient.pin] if state.recipient else ""
    found = grant_plan(state, payments, key)
    return (found.pay.payment_id if found.pay else None), list(found.cancel)


def test_superseded_before_it_was_sent_the_earlier_is_cancelled_and_the_new_recipient_paid() -> (
    None
):
    earlier = stored(MOTHER, "250.00", P, sent=False)
    pay, cancel = plan(assigned(FATHER, "250.00"), [earlier])
    assert pay == grant_payment_id("B1:c", "key-father", Decimal("250.00"))
    assert cancel == [Cancellation(earlier.payment_id, RECIPIENT_CHANGED)]


def test_a_higher_amount_for_the_same_recipient_before_it_was_sent_replaces_the_payment() -> None:
    earlier = stored(MOTHER, "250.00", P, sent=False)
    pay, cancel = plan(assigned(MOTHER, "350.00"), [earlier])
    assert pay == grant_payment_id("B1:c", "key-mother", Decimal("350.00"))
    assert cancel == [Cancellation(earlier.payment_id, AMOUNT_CHANGED)]


def test_superseded_after_it_was_paid_the_new_recipient_is_paid_too() -> None:
    paid = stored(MOTHER, "250.00", X, sent=True)
    pay, cancel = plan(assigned(FATHER, "250.00"), [paid])
    assert pay == grant_payment_id("B1:c", "key-father", Decimal("250.00"))
    assert cancel == []


def test_superseded_while_in_flight_the_new_payment_does_not_wait_and_nothing_is_recalled() -> None:
    for in_flight in (stored(MOTHER, "250.00", S, sent=True), stored(MOTHER, "250.00", P, True)):
        pay, cancel = plan(assigned(FATHER, "250.00"), [in_flight])
        assert pay == grant_payment_id("B1:c", "key-father", Decimal("250.00"))
        assert cancel == []


def test_superseded_again_with_a_recipient_and_amount_already_paid_pays_nothing_new() -> None:
    mother = stored(MOTHER, "250.00", X, sent=True)
    father = stored(FATHER, "250.00", X, sent=True)
    pay, cancel = plan(assigned(MOTHER, "250.00", "d3"), [mother, father])
    assert pay == mother.payment_id  # the same payment: storing it again changes nothing
    assert cancel == []


def test_a_lower_amount_for_a_recipient_already_paid_more_pays_nothing() -> None:
    paid = stored(MOTHER, "350.00", X, sent=True)
    assert plan(assigned(MOTHER, "250.00"), [paid]) == (None, [])


def test_a_cancelled_payment_asked_for_again_is_the_same_payment() -> None:
    cancelled = stored(MOTHER, "250.00", PaymentState.CANCELLED, sent=False)
    newer = stored(FATHER, "250.00", P, sent=False)
    pay, cancel = plan(assigned(MOTHER, "250.00", "d3"), [cancelled, newer])
    assert pay == cancelled.payment_id
    assert cancel == [Cancellation(newer.payment_id, RECIPIENT_CHANGED)]


def test_a_grant_stored_under_its_former_name_keeps_it() -> None:
    legacy = GrantPayment(payment_id("B1:c"), MOTHER.pin, Decimal("250.00"), P, False)
    assert plan(assigned(MOTHER, "250.00"), [legacy]) == (payment_id("B1:c"), [])


def test_revoked_or_unresolved_cancels_what_was_not_sent_and_pays_nothing() -> None:
    unsent = stored(MOTHER, "250.00", P, sent=False)
    paid = stored(FATHER, "250.00", X, sent=True)
    for outcome in ("revoked", "unresolved"):
        assert plan(withdrawn(outcome), [unsent, paid]) == (
            None,
            [Cancellation(unsent.payment_id, WITHDRAWN)],
        )


def settled(recipient: Recipient, amount: str) -> SettledPayment:
    grant = stored(recipient, amount, X, sent=True)
    return SettledPayment(grant.payment_id, recipient.pin, grant.amount)


def test_the_earlier_payment_of_a_grant_paid_to_another_recipient_opens_one_recovery() -> None:
    mother = settled(MOTHER, "250.00")
    state = assigned(FATHER, "250.00")
    found = recoveries(state, [mother], [])
    assert [(r.payment_id, r.amount) for r in found] == [(mother.payment_id, Decimal("250.00"))]
    assert recoveries(state, [mother, settled(FATHER, "250.00")], found) == []


def test_a_higher_amount_paid_anew_recovers_the_earlier_payment_whole() -> None:
    earlier, later = settled(MOTHER, "250.00"), settled(MOTHER, "350.00")
    found = recoveries(assigned(MOTHER, "350.00"), [earlier, later], [])
    assert [(r.payment_id, r.amount) for r in found] == [(earlier.payment_id, Decimal("250.00"))]


def test_a_lower_amount_recovers_the_difference_then_a_withdrawal_the_rest() -> None:
    paid = settled(MOTHER, "350.00")
    lower = recoveries(assigned(MOTHER, "250.00"), [paid], [])
    assert [r.amount for r in lower] == [Decimal("100.00")]
    rest = recoveries(withdrawn("revoked"), [paid], lower)
    assert [r.amount for r in rest] == [Decimal("250.00")]
    assert rest[0].recovery_id != lower[0].recovery_id


def test_back_to_a_recipient_already_paid_recovers_the_payment_that_no_longer_stands() -> None:
    mother, father = settled(MOTHER, "250.00"), settled(FATHER, "250.00")
    opened = recoveries(assigned(FATHER, "250.00"), [mother, father], [])
    again = recoveries(assigned(MOTHER, "250.00", "d3"), [mother, father], opened)
    assert [(r.payment_id, r.amount) for r in again] == [(father.payment_id, Decimal("250.00"))]


def test_an_unresolved_decision_recovers_nothing_of_a_paid_grant() -> None:
    assert recoveries(withdrawn("unresolved"), [settled(MOTHER, "250.00")], []) == []


def test_a_recovery_stored_before_recoveries_named_their_payment_covers_the_old_grant() -> None:
    old = SettledPayment(payment_id("B1:c"), MOTHER.pin, Decimal("250.00"))
    legacy = Recovery("r", Decimal("250.00"), "withdrawn")
    assert recoveries(withdrawn("revoked"), [old], [legacy]) == []


def test_a_settled_grant_is_suspect_when_the_case_now_pays_someone_else_or_less() -> None:
    mother = settled(MOTHER, "250.00")
    assert not may_be_undue(assigned(MOTHER, "250.00"), (), mother)
    assert may_be_undue(assigned(FATHER, "250.00"), (), mother)
    assert may_be_undue(assigned(MOTHER, "200.00"), (), mother)
    assert may_be_undue(assigned(MOTHER, "350.00"), (), mother)
