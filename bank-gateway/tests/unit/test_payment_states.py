from __future__ import annotations

import pytest
from bank_gateway.errors import IllegalTransition
from bank_gateway.payment_states import (
    AccountEvent,
    AccountState,
    PaymentEvent,
    PaymentState,
    account_sources,
    next_account_state,
    next_payment_state,
    payment_sources,
)

P, PE = PaymentState, PaymentEvent
A, AE = AccountState, AccountEvent


def walk(state: PaymentState, *events: PaymentEvent) -> PaymentState:
    for event in events:
        state = next_payment_state(state, event)
    return state


def test_a_payment_settles_after_submission_and_pending_reports() -> None:
    assert walk(P.PENDING, PE.SUBMITTED, PE.STILL_PENDING, PE.SETTLED) is P.SETTLED


def test_a_payment_can_be_rejected_after_submission() -> None:
    assert walk(P.PENDING, PE.SUBMITTED, PE.REJECTED) is P.REJECTED


def test_a_time_out_on_submission_leaves_the_payment_pending() -> None:
    assert walk(P.PENDING, PE.RETRYABLE_FAILURE, PE.RETRYABLE_FAILURE) is P.PENDING


def test_a_message_the_bank_lost_sends_the_payment_back_to_pending() -> None:
    assert walk(P.PENDING, PE.SUBMITTED, PE.RETRYABLE_FAILURE, PE.SUBMITTED) is P.SUBMITTED


def test_reading_a_final_status_twice_is_harmless() -> None:
    assert walk(P.SETTLED, PE.SETTLED) is P.SETTLED
    assert walk(P.REJECTED, PE.REJECTED) is P.REJECTED


@pytest.mark.parametrize(
    ("state", "event"),
    [
        (P.PENDING, PE.SETTLED),
        (P.PENDING, PE.REJECTED),
        (P.PENDING, PE.STILL_PENDING),
        (P.SETTLED, PE.REJECTED),
        (P.SETTLED, PE.RETRYABLE_FAILURE),
        (P.SETTLED, PE.SUBMITTED),
        (P.REJECTED, PE.SETTLED),
        (P.REJECTED, PE.SUBMITTED),
    ],
)
def test_illegal_payment_transitions_raise(state: PaymentState, event: PaymentEvent) -> None:
    with pytest.raises(IllegalTransition, match=f"payment {state}: {event}"):
        next_payment_state(state, event)


def test_an_account_opens_after_retryable_failures() -> None:
    state = next_account_state(A.REQUESTED, AE.RETRYABLE_FAILURE)
    assert next_account_state(state, AE.OPENED) is A.OPEN


def test_an_open_account_answered_again_stays_open() -> None:
    assert next_account_state(A.OPEN, AE.OPENED) is A.OPEN


def test_a_refused_account_request_fails() -> None:
    assert next_account_state(A.REQUESTED, AE.REFUSED) is A.FAILED


@pytest.mark.parametrize(
    ("state", "event"),
    [(A.FAILED, AE.OPENED), (A.OPEN, AE.REFUSED), (A.FAILED, AE.RETRYABLE_FAILURE)],
)
def test_illegal_account_transitions_raise(state: AccountState, event: AccountEvent) -> None:
    with pytest.raises(IllegalTransition, match=f"account {state}: {event}"):
        next_account_state(state, event)


def test_a_payment_no_longer_due_before_it_is_sent_is_cancelled_and_can_be_reinstated() -> None:
    assert walk(P.PENDING, PE.CANCELLED) is P.CANCELLED
    assert walk(P.PENDING, PE.CANCELLED, PE.REINSTATED, PE.SUBMITTED) is P.SUBMITTED


def test_a_sent_payment_cannot_be_cancelled() -> None:
    with pytest.raises(IllegalTransition):
        next_payment_state(P.SUBMITTED, PE.CANCELLED)


def test_a_transfer_the_bank_already_holds_elsewhere_stays_submitted() -> None:
    assert walk(P.PENDING, PE.SUBMITTED, PE.HELD_ELSEWHERE) is P.SUBMITTED


def test_a_refused_document_rejects_its_pending_payments() -> None:
    assert walk(P.PENDING, PE.DOCUMENT_REFUSED) is P.REJECTED


def test_bulk_updates_are_guarded_by_the_states_the_machine_allows() -> None:
    assert payment_sources(PE.SETTLED) == ["settled", "submitted"]
    assert payment_sources(PE.CANCELLED) == ["cancelled", "pending"]
    assert account_sources(AE.OPENED) == ["open", "requested"]
