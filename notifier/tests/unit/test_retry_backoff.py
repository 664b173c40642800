"""A notice's next attempt waits longer after each failure, jittered; a 429 is obeyed."""

from __future__ import annotations

import random

import pytest
from notifier.retry_backoff import RetryBackoff


def test_the_wait_doubles_between_half_and_all_of_each_step() -> None:
    backoff = RetryBackoff(1.0, 300.0, random.Random(1))
    for failures, step in [(1, 1.0), (2, 2.0), (3, 4.0), (6, 32.0)]:
        assert step / 2 <= backoff.delay(failures) <= step


def test_the_wait_never_passes_the_maximum() -> None:
    assert RetryBackoff(1.0, 10.0, random.Random(2)).delay(40) <= 10.0


def test_retry_after_is_obeyed_with_at_most_a_tenth_more() -> None:
    assert 3.0 <= RetryBackoff(1.0, 10.0, random.Random(3)).delay(1, retry_after=3.0) <= 3.3


def test_jitter_spreads_notices_that_failed_together() -> None:
    backoff = RetryBackoff(1.0, 300.0, random.Random(4))
    assert len({backoff.delay(5) for _ in range(20)}) > 1


def test_a_backoff_needs_a_positive_start_below_its_maximum() -> None:
    with pytest.raises(ValueError, match="initial"):
        RetryBackoff(5.0, 1.0)
