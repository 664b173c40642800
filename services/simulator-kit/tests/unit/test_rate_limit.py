"""The token bucket behind 429 and Retry-After."""

from __future__ import annotations

from simulator_kit.rate_limit import TokenBucket


class Ticker:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def test_no_limit_lets_everything_through() -> None:
    bucket = TokenBucket(Ticker())
    assert all(bucket.take(0) is None for _ in range(1000))


def test_a_burst_up_to_the_rate_passes_then_waits_a_second() -> None:
    bucket = TokenBucket(Ticker())
    assert [bucket.take(3) for _ in range(4)] == [None, None, None, 1]


def test_tokens_come_back_with_time() -> None:
    ticker = Ticker()
    bucket = TokenBucket(ticker)
    assert [bucket.take(2) for _ in range(3)] == [None, None, 1]
    ticker.now += 0.5  # half a second at 2/s: one token
    assert [bucket.take(2) for _ in range(2)] == [None, 1]


def test_a_slow_rate_asks_for_a_longer_wait() -> None:
    # 0.2 messages a second: one token every 5 s.
    bucket = TokenBucket(Ticker())
    assert [bucket.take(0.2) for _ in range(2)] == [None, 5]
