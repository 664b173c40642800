"""The send window: wider while the gateway answers quickly, halved by a 429, never past
its bounds; a slow answer changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from notifier.send_window import SendWindow


def test_quick_answers_widen_it_by_about_one_per_window_up_to_the_maximum(ticker: Any) -> None:
    window = SendWindow(8, ticker)
    assert window.size == 4
    for _ in range(4):
        window.answered(0.05)
    assert window.size == 4  # 4 + 4 × ¼ - a little: one more after a whole window
    window.answered(0.05)
    assert window.size == 5
    for _ in range(200):
        window.answered(0.05)
    assert window.size == 8


def test_a_slow_answer_leaves_it_as_it_is(ticker: Any) -> None:
    window = SendWindow(8, ticker)
    for _ in range(50):
        window.answered(9.5)
    assert window.size == 4


def test_a_429_halves_it_once_per_burst_and_never_below_the_minimum(ticker: Any) -> None:
    window = SendWindow(16, ticker, minimum=2)
    for _ in range(300):
        window.answered(0.01)
    assert window.size == 16
    for _ in range(5):  # one burst of 429s
        window.rate_limited()
    assert window.size == 8
    for _ in range(5):
        ticker.now += 1.0
        window.rate_limited()
    assert window.size == 2


def test_a_window_needs_sane_bounds(ticker: Any) -> None:
    with pytest.raises(ValueError, match="minimum"):
        SendWindow(2, ticker, minimum=3)


def test_by_default_429s_never_take_it_below_a_quarter_of_the_maximum(ticker: Any) -> None:
    window = SendWindow(16, ticker)
    for _ in range(10):
        ticker.now += 1.0
        window.rate_limited()
    assert window.size == 4


def test_a_call_counts_as_hung_after_four_typical_answers_between_a_tenth_and_a_second(
    ticker: Any,
) -> None:
    window = SendWindow(16, ticker)
    assert window.slow_after() == 1.0  # nothing known of the gateway yet
    for _ in range(60):
        window.answered(0.06)
    for _ in range(3):
        window.answered(35.0)  # a few hangs do not move the typical answer
    assert window.slow_after() == pytest.approx(0.24)
    for _ in range(64):
        window.answered(0.005)
    assert window.slow_after() == 0.1
    for _ in range(64):
        window.answered(2.0)  # slow for everyone: its calls keep their places
    assert window.slow_after() == 1.0
