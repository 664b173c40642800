"""A partner that keeps failing (so many failures in a row, or among the last calls) is left
alone for a while, then probed once."""

from __future__ import annotations

import pytest
from benefits_shared.circuit_breaker import Circuit, CircuitBreaker


class Ticks:
    """A monotonic clock that moves only when a test moves ``now``."""

    now = 100.0

    def __call__(self) -> float:
        return self.now


def opened(clock: Ticks, threshold: int = 2, seconds: float = 30) -> CircuitBreaker:
    breaker = CircuitBreaker(failure_threshold=threshold, open_seconds=seconds, now=clock)
    for _ in range(threshold):
        breaker.failed()
    return breaker


def test_the_circuit_opens_after_failures_in_a_row_and_probes_after_a_while() -> None:
    clock = Ticks()
    breaker = CircuitBreaker(failure_threshold=3, open_seconds=30, now=clock)
    for _ in range(2):
        assert breaker.allow()
        breaker.failed()
    assert breaker.state is Circuit.CLOSED
    breaker.failed()
    assert breaker.state is Circuit.OPEN and not breaker.allow()
    assert breaker.seconds_until_probe() == 30
    clock.now += 30
    assert breaker.allow()  # one probe
    assert not breaker.allow()  # and only one
    breaker.succeeded()
    assert breaker.state is Circuit.CLOSED and breaker.allow()


def test_a_failed_probe_opens_the_circuit_again() -> None:
    clock = Ticks()
    breaker = opened(clock, threshold=1, seconds=10)
    clock.now += 10
    assert breaker.allow()
    breaker.failed()
    assert breaker.state is Circuit.OPEN
    assert breaker.seconds_until_probe() == 10


def test_a_success_resets_the_count_of_failures() -> None:
    breaker = CircuitBreaker(failure_threshold=2, open_seconds=10, now=Ticks())
    breaker.failed()
    breaker.succeeded()
    breaker.failed()
    assert breaker.state is Circuit.CLOSED


def test_an_open_circuit_says_how_long_it_stays_open_and_then_nothing() -> None:
    clock = Ticks()
    breaker = opened(clock)
    clock.now += 12
    assert breaker.seconds_until_probe() == 18
    clock.now += 18
    assert (breaker.state, breaker.seconds_until_probe()) == (Circuit.HALF_OPEN, 0.0)


def test_after_the_wait_a_failure_without_a_probe_opens_it_again() -> None:
    clock = Ticks()
    breaker = opened(clock)
    clock.now += 30
    breaker.failed()
    assert breaker.state is Circuit.OPEN


@pytest.mark.parametrize(("threshold", "seconds"), [(0, 1.0), (1, -1.0)])
def test_a_breaker_needs_a_threshold_and_a_wait(threshold: int, seconds: float) -> None:
    with pytest.raises(ValueError, match="breaker needs"):
        CircuitBreaker(threshold, seconds)


def outcomes(breaker: CircuitBreaker, failed: list[bool]) -> None:
    for one in failed:
        if one:
            breaker.failed()
        else:
            breaker.succeeded()


def test_a_wider_window_opens_on_a_failure_rate_not_on_a_few_in_a_row() -> None:
    breaker = CircuitBreaker(failure_threshold=4, open_seconds=30, now=Ticks(), window=10)
    outcomes(breaker, ([True] * 3 + [False] * 7) * 3)  # three in ten, in a row each time
    assert breaker.state is Circuit.CLOSED
    outcomes(breaker, [True, False, True, False, True, False])
    assert breaker.state is Circuit.CLOSED
    outcomes(breaker, [True])  # four of the last seven, never two in a row
    assert breaker.state is Circuit.OPEN


def test_time_outs_of_calls_begun_before_a_later_one_succeeded_do_not_open_it() -> None:
    """The end of a burst: the calls that hung end last, all at once, and none new starts.
    A call begun after them was answered, so the partner answers: they do not count."""
    clock = Ticks()
    breaker = CircuitBreaker(failure_threshold=3, open_seconds=30, now=clock)
    hung = [clock.now + i for i in range(5)]  # five calls begin and hang
    clock.now += 5
    breaker.succeeded(began=clock.now)  # a call begun after them all is answered
    clock.now += 10
    for began in hung:
        breaker.timed_out(began)
    assert breaker.state is Circuit.CLOSED


def test_time_outs_count_when_nothing_begun_after_them_succeeded() -> None:
    """A partner that stops answering: every call begun since its last answer hangs."""
    clock = Ticks()
    breaker = CircuitBreaker(failure_threshold=3, open_seconds=30, now=clock)
    breaker.succeeded(began=clock.now)
    hung = [clock.now + 1 + i for i in range(3)]
    clock.now += 15
    breaker.succeeded(began=hung[0] - 0.5)  # an answer to a call begun before them
    for began in hung:
        breaker.timed_out(began)
    assert breaker.state is Circuit.OPEN


def test_a_probe_that_times_out_opens_the_circuit_again() -> None:
    clock = Ticks()
    breaker = opened(clock, threshold=1, seconds=10)
    breaker.succeeded(began=clock.now + 100)  # whatever began later: the probe's own
    breaker.failed()
    clock.now += 10
    assert breaker.allow()
    breaker.timed_out(began=clock.now)
    assert breaker.state is Circuit.OPEN


def test_it_says_the_partner_answers_while_failures_stay_under_half_its_threshold() -> None:
    clock = Ticks()
    breaker = CircuitBreaker(failure_threshold=8, open_seconds=30, now=clock, window=20)
    assert breaker.answering()  # nothing known yet: nothing says it is failing
    outcomes(breaker, [True, True, True] + [False] * 10)  # three of thirteen: faults at random
    assert breaker.answering()
    outcomes(breaker, [True])  # four of the last twenty: half of what opens it
    assert not breaker.answering() and breaker.state is Circuit.CLOSED
    outcomes(breaker, [True] * 4)  # open: failing generally
    assert breaker.state is Circuit.OPEN and not breaker.answering()
    clock.now += 31  # half open: not answering until a probe succeeds
    assert breaker.state is Circuit.HALF_OPEN and not breaker.answering()
    breaker.succeeded()
    assert breaker.answering()  # closed again, its failures forgotten
