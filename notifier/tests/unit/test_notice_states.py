"""A notice's life: pending → accepted → delivered, failed or expired; unknown; skipped."""

from __future__ import annotations

import pytest
from notifier.errors import IllegalNoticeTransition
from notifier.notice_states import NoticeEvent, NoticeState, next_state, report_event

S, E = NoticeState, NoticeEvent


@pytest.mark.parametrize(
    ("state", "event", "after"),
    [
        (S.PENDING, E.ACCEPTED, S.ACCEPTED),
        (S.PENDING, E.RETRYABLE_FAILURE, S.PENDING),
        (S.PENDING, E.REFUSED, S.FAILED),
        (S.PENDING, E.SKIPPED, S.SKIPPED),
        (S.PENDING, E.ABANDONED, S.UNKNOWN),
        (S.ACCEPTED, E.DELIVERED, S.DELIVERED),
        (S.ACCEPTED, E.FAILED, S.FAILED),
        (S.ACCEPTED, E.EXPIRED, S.EXPIRED),
        (S.ACCEPTED, E.REPORT_OVERDUE, S.UNKNOWN),
        (S.UNKNOWN, E.DELIVERED, S.DELIVERED),
    ],
)
def test_each_allowed_event_moves_the_notice(state: S, event: E, after: S) -> None:
    assert next_state(state, event) is after


@pytest.mark.parametrize("final", [S.DELIVERED, S.FAILED, S.EXPIRED])
def test_a_duplicated_report_leaves_the_notice_where_it_is(final: S) -> None:
    assert next_state(final, E(final.value)) is final


def test_a_second_different_report_does_not_overturn_the_first() -> None:
    with pytest.raises(IllegalNoticeTransition):
        next_state(S.DELIVERED, E.FAILED)


def test_a_report_for_a_notice_never_accepted_is_refused() -> None:
    with pytest.raises(IllegalNoticeTransition):
        next_state(S.PENDING, E.DELIVERED)


def test_a_skipped_notice_is_never_handed_over() -> None:
    with pytest.raises(IllegalNoticeTransition):
        next_state(S.SKIPPED, E.ACCEPTED)


def test_an_accepted_notice_is_not_sent_back_to_pending() -> None:
    with pytest.raises(IllegalNoticeTransition):
        next_state(S.ACCEPTED, E.RETRYABLE_FAILURE)


def test_report_statuses_name_their_events() -> None:
    assert [report_event(s) for s in ("DELIVERED", "FAILED", "EXPIRED")] == [
        E.DELIVERED,
        E.FAILED,
        E.EXPIRED,
    ]
