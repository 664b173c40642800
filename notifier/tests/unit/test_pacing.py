"""Messages leave evenly spaced at the configured rate; a Retry-After holds them all."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from notifier.pacing import Pacer


@dataclass
class Ticker:
    now: float = 50.0

    def __call__(self) -> float:
        return self.now


def test_the_first_message_leaves_at_once_the_next_one_interval_later() -> None:
    ticker = Ticker()
    pacer = Pacer(4.0, ticker)
    assert pacer.wait_seconds() == 0.0
    pacer.take()
    assert pacer.wait_seconds() == 0.25
    ticker.now += 0.25
    assert pacer.wait_seconds() == 0.0


def test_idle_time_is_not_saved_up_for_a_burst() -> None:
    ticker = Ticker()
    pacer = Pacer(2.0, ticker)
    ticker.now += 60
    pacer.take()
    assert pacer.wait_seconds() == 0.5


def test_a_retry_after_holds_every_message() -> None:
    ticker = Ticker()
    pacer = Pacer(10.0, ticker)
    pacer.hold(3.0)
    assert pacer.wait_seconds() == 3.0


def test_the_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Pacer(0.0, Ticker())
