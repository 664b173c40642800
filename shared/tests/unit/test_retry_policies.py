"""How long a caller waits: exponential with jitter while a partner fails, or what
``Retry-After`` says when it asks."""

from datetime import UTC, datetime

import pytest
from benefits_shared.retry_policies import RetryPolicy, retry_after_seconds

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_the_pause_doubles_with_each_failure_between_half_and_all_of_the_step() -> None:
    policy = RetryPolicy(1.0, 60.0, 600.0)
    for failures, step in enumerate((1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0), start=1):
        delays = [policy.delay(failures) for _ in range(200)]
        assert all(step / 2 <= d <= step for d in delays)
        assert max(delays) - min(delays) > step / 4  # spread over the range


def test_the_jitter_spreads_callers_that_failed_together() -> None:
    assert len({RetryPolicy(1.0, 60.0).delay(3) for _ in range(20)}) == 20


def test_the_pause_never_passes_the_maximum_even_after_very_many_failures() -> None:
    assert 5.0 <= RetryPolicy(1.0, 10.0).delay(10_000) <= 10.0


def test_the_first_failure_counts_from_the_initial_step() -> None:
    assert RetryPolicy(1.0, 60.0).delay(0) <= 1.0


def test_retry_after_is_obeyed_with_at_most_a_tenth_more_up_to_the_ceiling() -> None:
    policy = RetryPolicy(1.0, 60.0, 600.0)
    assert all(7.0 <= policy.delay(9, retry_after=7.0) <= 7.7 for _ in range(100))
    assert policy.delay(1, retry_after=7200.0) == 600.0
    assert policy.delay(1, retry_after=-3.0) == 0.0


def test_initial_must_not_exceed_maximum() -> None:
    with pytest.raises(ValueError, match="initial"):
        RetryPolicy(10.0, 1.0, 600.0)


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


def test_while_the_partner_answers_others_the_pause_stays_the_first_step() -> None:
    policy = RetryPolicy(1.0, 60.0, 600.0)
    assert all(0.5 <= policy.delay(6, partner_answering=True) <= 1.0 for _ in range(200))
    assert all(16.0 <= policy.delay(6) <= 32.0 for _ in range(200))  # failing generally
    assert 7.0 <= policy.delay(6, retry_after=7.0, partner_answering=True) <= 7.7  # it asked
