"""Backoff with full jitter and the circuit breaker of the partner bank."""

from __future__ import annotations

import random

from bank_gateway.backoff import Backoff
from bank_gateway.circuit_breaker import Circuit, CircuitBreaker


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_delay_grows_exponentially_up_to_the_cap_and_is_jittered() -> None:
    backoff, rng = Backoff(base_seconds=0.5, cap_seconds=8.0), random.Random(1)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (5, 8.0), (30, 8.0)]:
        delays = [backoff.delay(attempt, rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8  # spread over the whole range
        assert len(set(delays)) > 100


def test_retry_after_is_a_floor() -> None:
    backoff = Backoff(base_seconds=0.5, cap_seconds=8.0)
    assert backoff.delay(1, random.Random(1), retry_after=3.0) == 3.0


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
    breaker = CircuitBreaker(failure_threshold=1, open_seconds=10, now=clock)
    breaker.failed()
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
