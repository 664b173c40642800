"""How long a connector waits: exponential with jitter, or what ``Retry-After`` says."""

import random
from datetime import UTC, datetime

import pytest
from registry_connectors.backoff import Backoff, retry_after_seconds

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_the_pause_doubles_with_each_failure_between_half_and_all_of_the_step() -> None:
    backoff = Backoff(1.0, 60.0, 600.0, random.Random(1))
    for step in (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0):
        assert step / 2 <= backoff.next_delay() <= step


def test_the_jitter_spreads_connectors_that_failed_together() -> None:
    delays = {Backoff(1.0, 60.0, 600.0, random.Random(seed)).next_delay() for seed in range(20)}
    assert len(delays) == 20


def test_a_success_starts_the_steps_again() -> None:
    backoff = Backoff(1.0, 60.0, 600.0, random.Random(1))
    for _ in range(5):
        backoff.next_delay()
    backoff.reset()
    assert backoff.next_delay() <= 1.0


def test_retry_after_is_obeyed_instead_of_the_step() -> None:
    backoff = Backoff(1.0, 60.0, 600.0, random.Random(1))
    assert backoff.next_delay(retry_after=7.0) == 7.0
    assert backoff.next_delay(retry_after=7200.0) == 600.0


def test_initial_must_not_exceed_maximum() -> None:
    with pytest.raises(ValueError, match="initial"):
        Backoff(10.0, 1.0, 600.0)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("3", 3.0),
        (" 120 ", 120.0),
        ("Mon, 02 Mar 2026 12:00:30 GMT", 30.0),
        ("Mon, 02 Mar 2026 11:00:00 GMT", 0.0),
        (None, None),
        ("soon", None),
        ("-1", None),
    ],
)
def test_retry_after_is_read_as_seconds_or_an_http_date(
    header: str | None, seconds: float | None
) -> None:
    assert retry_after_seconds(header, NOW) == seconds
