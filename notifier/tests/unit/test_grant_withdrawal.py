"""A citizen told that money will be transferred is paid it, or told otherwise (policy.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from benefits_shared.contracts.payments import PaymentCancelled
from notifier.grant_withdrawal import Announcement, takes_back, withdrawal_plan
from notifier.notice_kinds import NoticeKind
from notifier.notice_states import NoticeState

A, B1 = NoticeState, NoticeKind.B1_ASSIGNED


def cancelled(reason: str = "recipient-changed", decision: str = "d1") -> PaymentCancelled:
    return PaymentCancelled(
        payment_id="p1",
        decision_id=decision,
        case_id="B1:c",
        recipient_pin="5AB7C9D",
        amount=Decimal("250.00"),
        cancelled_by="d2",
        reason=reason,
    )


def told(decision: str = "d1", state: NoticeState = A.DELIVERED) -> Announcement:
    return Announcement(f"n-{decision}", decision, B1, state, True, False)


def unsent(decision: str = "d1") -> Announcement:
    return Announcement(f"n-{decision}", decision, B1, A.PENDING, False, False)


@pytest.mark.parametrize("state", [A.ACCEPTED, A.DELIVERED, A.UNKNOWN])
@pytest.mark.parametrize("reason", ["recipient-changed", "withdrawn"])
def test_a_person_told_of_a_grant_whose_payment_is_cancelled_is_told_otherwise(
    state: NoticeState, reason: str
) -> None:
    announcement = told(state=state)
    assert withdrawal_plan(cancelled(reason), [announcement]).tell == announcement


def test_an_announcement_not_handed_over_yet_is_skipped_and_nothing_is_told() -> None:
    plan = withdrawal_plan(cancelled(), [unsent()])
    assert (plan.skip, plan.tell) == ((unsent(),), None)


def test_an_announcement_tried_with_an_unknown_outcome_or_being_sent_counts_as_told() -> None:
    tried = Announcement("n", "d1", B1, A.PENDING, True, False)
    sending = Announcement("n", "d1", B1, A.PENDING, False, True)
    for announcement in (tried, sending):
        plan = withdrawal_plan(cancelled(), [announcement])
        assert (plan.skip, plan.tell) == ((), announcement)


@pytest.mark.parametrize("state", [A.FAILED, A.EXPIRED, A.SKIPPED])
def test_an_announcement_that_never_reached_the_person_tells_nothing(state: NoticeState) -> None:
    assert withdrawal_plan(cancelled(), [told(state=state)]).tell is None


def test_the_same_person_paid_another_amount_is_told_by_the_new_assignment_instead() -> None:
    plan = withdrawal_plan(cancelled("amount-changed"), [told(), unsent("d0")])
    assert (plan.skip, plan.tell) == ((), None)


def test_the_announcement_of_the_cancelled_payment_s_decision_is_the_one_taken_back() -> None:
    first, second = told("d0"), told("d1")
    assert withdrawal_plan(cancelled(decision="d1"), [first, second]).tell == second
    assert withdrawal_plan(cancelled(decision="d9"), [first, second]).tell == second


def test_a_cancelled_allowance_payment_tells_nothing() -> None:
    b2 = cancelled().model_copy(update={"period_start": date(2026, 3, 1)})
    assert withdrawal_plan(b2, [told()]) == withdrawal_plan(b2, [])
    assert withdrawal_plan(b2, [told()]).tell is None


def test_only_the_withdrawal_kinds_take_an_announcement_back() -> None:
    assert {k for k in NoticeKind if takes_back(k)} == {
        NoticeKind.B1_WITHDRAWN,
        NoticeKind.B3_WITHDRAWN,
    }


def test_a_parked_announcement_is_skipped_so_no_retry_sends_it_and_told_if_it_was_tried() -> None:
    parked = Announcement("n", "d1", B1, A.PARKED, True, False)
    plan = withdrawal_plan(cancelled(), [parked])
    assert (plan.skip, plan.tell) == ((parked,), parked)
    never_tried = Announcement("n", "d1", B1, A.PARKED, False, False)
    plan = withdrawal_plan(cancelled(), [never_tried])
    assert (plan.skip, plan.tell) == ((never_tried,), None)
