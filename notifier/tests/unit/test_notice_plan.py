"""What a decision's notice becomes when recorded: pending now, pending after the account
wait, or skipped with a reason ops can read."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from benefits_shared.clock import BAKU
from benefits_shared.contracts.payments import AccountOpened
from notifier.notice_kinds import NoticeKind
from notifier.notice_plan import plan_notice
from notifier.notice_states import NoticeState
from notifier.reachability import MirroredPerson

NOW = datetime(2026, 3, 2, 10, tzinfo=BAKU)
WAIT = timedelta(minutes=30)
ACCOUNT = AccountOpened(
    recipient_pin="5ZK2M9X", account_id="a", account_last4="4821", bank_name="Partner Bank"
)
RECIPIENT = {
    "pin": "5ZK2M9X",
    "full_name": "Leyla Məmmədova",
    "birth_date": date(1990, 1, 1),
    "phone": "+994501234567",
    "language": "az",
}


@pytest.fixture
def grant(make_decision: Any) -> Any:
    return make_decision(amount=Decimal("250.00"), recipient=RECIPIENT)


def test_a_grant_whose_account_is_open_is_due_at_once(grant: Any) -> None:
    plan = plan_notice(grant, NoticeKind.B1_ASSIGNED, None, ACCOUNT, NOW, WAIT)
    assert (plan.state, plan.send_after) == (NoticeState.PENDING, NOW)


def test_a_grant_waits_for_its_account_up_to_the_limit(grant: Any) -> None:
    plan = plan_notice(grant, NoticeKind.B1_ASSIGNED, None, None, NOW, WAIT)
    assert (plan.state, plan.send_after) == (NoticeState.PENDING, NOW + WAIT)


def test_an_end_of_allowance_does_not_wait_for_an_account(make_decision: Any) -> None:
    entitlement = {
        "group": "II",
        "start": date(2025, 1, 1),
        "end": date(2026, 2, 28),
        "rates": [{"from_month": date(2023, 1, 1), "monthly_rate": "220.00"}],
    }
    ended = make_decision("B2", "ended", entitlement=entitlement, recipient=RECIPIENT)
    plan = plan_notice(ended, NoticeKind.B2_ENDED, None, None, NOW, WAIT)
    assert plan.send_after == NOW


def test_the_dead_and_the_phoneless_are_skipped_with_the_reason(grant: Any) -> None:
    dead = MirroredPerson("+994501234567", "az", date(2026, 3, 1))
    phoneless = MirroredPerson(None, "az", None)
    reasons = [
        plan_notice(grant, NoticeKind.B1_ASSIGNED, m, None, NOW, WAIT).reason
        for m in (dead, phoneless)
    ]
    assert reasons == ["the recipient has died", "the recipient has no phone"]


def test_a_notice_without_the_data_it_must_say_is_skipped_not_sent(make_decision: Any) -> None:
    due = make_decision("B2", "reexamination_due", recipient=RECIPIENT)
    plan = plan_notice(due, NoticeKind.B2_REEXAMINATION_DUE, None, None, NOW, WAIT)
    assert plan.state is NoticeState.SKIPPED
    assert plan.reason is not None and plan.reason.startswith("no text can be made")
