"""Messages leave evenly spaced at the configured rate; a Retry-After holds them all, and
so do 429s making most of the gateway's last answers; a few among other answers hold only
their own messages."""

from __future__ import annotations

from typing import Any

import pytest
from notifier.pacing import RECENT_ANSWERS, Pacer


def test_the_first_message_leaves_at_once_the_next_one_interval_later(ticker: Any) -> None:
    pacer = Pacer(4.0, ticker)
    assert pacer.wait_seconds() == 0.0
    pacer.take()
    assert pacer.wait_seconds() == 0.25
    ticker.now += 0.25
    assert pacer.wait_seconds() == 0.0


def test_idle_time_is_not_saved_up_for_a_burst(ticker: Any) -> None:
    pacer = Pacer(2.0, ticker)
    ticker.now += 60
    pacer.take()
    assert pacer.wait_seconds() == 0.5


def test_a_retry_after_holds_every_message(ticker: Any) -> None:
    pacer = Pacer(10.0, ticker)
    pacer.hold(3.0)
    assert pacer.wait_seconds() == 3.0


def test_one_429_among_other_answers_holds_nothing_else(ticker: Any) -> None:
    pacer = Pacer(10.0, ticker)
    assert not pacer.rate_limited(1.0)
    pacer.answered()
    assert not pacer.rate_limited(1.0)
    assert pacer.wait_seconds() == 0.0


def test_a_few_429s_in_a_row_among_many_answers_hold_nothing_else(ticker: Any) -> None:
    """Random 429s at a high rate come two or three in a row now and then."""
    pacer = Pacer(10.0, ticker)
    for _ in range(RECENT_ANSWERS):
        pacer.answered()
    for _ in range(RECENT_ANSWERS // 2):
        assert not pacer.rate_limited(1.0)
    assert pacer.wait_seconds() == 0.0


def test_429s_making_most_recent_answers_hold_every_message_for_the_retry_after(
    ticker: Any,
) -> None:
    pacer = Pacer(10.0, ticker)
    for _ in range(RECENT_ANSWERS // 2):
        pacer.answered()
        assert not pacer.rate_limited(1.0)
    assert pacer.rate_limited(2.0)  # five of the last eight
    assert pacer.wait_seconds() == 2.0
    assert pacer.rate_limited(1.0)  # still limited: the hold is not shortened
    assert pacer.wait_seconds() == 2.0


def test_the_rate_must_be_positive(ticker: Any) -> None:
    with pytest.raises(ValueError, match="positive"):
        Pacer(0.0, ticker)


def test_concurrent_senders_each_book_their_own_instant(ticker: Any) -> None:
    pacer = Pacer(10.0, ticker)
    waits = [pacer.reserve() for _ in range(4)]
    assert waits == pytest.approx([0.0, 0.1, 0.2, 0.3])
    ticker.now += 0.4
    assert pacer.reserve() == pytest.approx(0.0)
