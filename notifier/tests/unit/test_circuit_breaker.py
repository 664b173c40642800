"""A gateway that keeps failing is left alone for a while, then tried once."""

from __future__ import annotations

from typing import Any

from notifier.circuit_breaker import BreakerState, CircuitBreaker


def test_it_opens_after_the_threshold_of_consecutive_failures(ticker: Any) -> None:
    breaker = CircuitBreaker(3, 30.0, ticker)
    breaker.record_failure()
    breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED
    breaker.record_failure()
    assert (breaker.state, breaker.wait_seconds()) == (BreakerState.OPEN, 30.0)


def test_a_success_resets_the_count(ticker: Any) -> None:
    breaker = CircuitBreaker(2, 30.0, ticker)
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED


def test_after_the_cooldown_one_trial_failure_opens_it_again(ticker: Any) -> None:
    breaker = CircuitBreaker(2, 30.0, ticker)
    breaker.record_failure()
    breaker.record_failure()
    ticker.now += 30
    assert (breaker.state, breaker.wait_seconds()) == (BreakerState.HALF_OPEN, 0.0)
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN


def test_after_the_cooldown_one_trial_success_closes_it(ticker: Any) -> None:
    breaker = CircuitBreaker(1, 5.0, ticker)
    breaker.record_failure()
    ticker.now += 5
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED
