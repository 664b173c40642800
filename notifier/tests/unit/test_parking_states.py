"""A notice whose attempts ran out is parked, and only ops' retry makes it pending again."""

from __future__ import annotations

import pytest
from notifier.errors import IllegalNoticeTransition
from notifier.notice_states import NoticeEvent, NoticeState, next_state


def test_a_pending_notice_is_parked_and_a_retry_makes_it_pending_again() -> None:
    parked = next_state(NoticeState.PENDING, NoticeEvent.PARKED)
    assert parked is NoticeState.PARKED
    assert next_state(parked, NoticeEvent.RETRIED) is NoticeState.PENDING


MOVES_A_PARKED_NOTICE = (NoticeEvent.RETRIED, NoticeEvent.SKIPPED)


@pytest.mark.parametrize("event", [e for e in NoticeEvent if e not in MOVES_A_PARKED_NOTICE])
def test_a_parked_notice_moves_only_on_a_retry_or_a_skip(event: NoticeEvent) -> None:
    with pytest.raises(IllegalNoticeTransition):
        next_state(NoticeState.PARKED, event)


@pytest.mark.parametrize("state", [s for s in NoticeState if s is not NoticeState.PARKED])
def test_only_a_parked_notice_can_be_retried(state: NoticeState) -> None:
    with pytest.raises(IllegalNoticeTransition):
        next_state(state, NoticeEvent.RETRIED)


def test_a_parked_notice_whose_grant_was_cancelled_is_skipped_for_good() -> None:
    assert next_state(NoticeState.PARKED, NoticeEvent.SKIPPED) is NoticeState.SKIPPED
