import asyncio
import os
import socket
import subprocess
import sys
import urllib.request
from datetime import date, datetime, time
from typing import Any

from benefits_shared.clock import BAKU, FixedClock
from benefits_shared.contracts.clock import DayStarted
from benefits_shared.kafka.admin import ensure_topics
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.topics import Topic
from clock_ticker.ticker import Ticker
from own_stack import OwnStack, own_stack

__all__ = ["own_stack"]  # the fixture, for pytest


async def _days_on(bootstrap: str, topic: str) -> list[date]:
    reader = safe_consumer(bootstrap, None, topic)
    await reader.start()
    batch = await reader.getmany(timeout_ms=5_000)
    await reader.stop()
    return [DayStarted.model_validate_json(r.value).day for rs in batch.values() for r in rs]


async def test_a_restarted_ticker_catches_up_without_repeating_a_day(
    kafka_bootstrap: str, unique: str
) -> None:
    topic = f"ticks-{unique}"
    await ensure_topics(kafka_bootstrap, [Topic(topic, 1)])
    clock = FixedClock(datetime.combine(date(2026, 3, 2), time(9), BAKU))
    for today in (date(2026, 3, 2), date(2026, 3, 2), date(2026, 3, 4)):
        clock.set(datetime.combine(today, time(9), BAKU))
        ticker = Ticker(
            idempotent_producer(kafka_bootstrap, "t"),
            safe_consumer(kafka_bootstrap, None),
            topic,
            clock,
            date(2026, 2, 27),
            60,
        )
        await ticker.start()
        await ticker.tick_once()
        await ticker.close()
    assert await _days_on(kafka_bootstrap, topic) == [
        date(2026, 2, 27),
        date(2026, 2, 28),
        date(2026, 3, 1),
        date(2026, 3, 2),
        date(2026, 3, 3),
        date(2026, 3, 4),
    ]


async def test_the_ticker_answers_its_probes_and_stops_on_sigterm(
    kafka_bootstrap: str, unique: str
) -> None:
    topic = f"ticks-{unique}"
    await ensure_topics(kafka_bootstrap, [Topic(topic, 1)])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "CLOCK_TOPIC": topic,
        "CLOCK_START": "2026-03-01",
        "HEALTH_PORT": str(port),
    }
    argv = [sys.executable, "-m", "clock_ticker"]
    ticker = await asyncio.to_thread(subprocess.Popen, argv, env=env)

    def status(path: str) -> int:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=3) as answer:
                return int(answer.status)
        except OSError:
            return 0

    try:
        for _ in range(120):
            if await asyncio.to_thread(status, "/readyz") == 200:
                break
            await asyncio.sleep(0.5)
        assert await asyncio.to_thread(status, "/readyz") == 200
        assert await asyncio.to_thread(status, "/healthz") == 200
    finally:
        ticker.terminate()
        assert await asyncio.to_thread(ticker.wait, 60) == 0


def _member_of(bootstrap: str, group: str, topic: str) -> Any:
    return safe_consumer(
        bootstrap, group, topic, session_timeout_ms=6_000, heartbeat_interval_ms=1_000
    )


async def test_of_two_tickers_in_one_group_one_ticks_and_the_other_takes_over(
    kafka_bootstrap: str, unique: str
) -> None:
    topic, group = f"ticks-{unique}", f"clock-{unique}"
    await ensure_topics(kafka_bootstrap, [Topic(topic, 1)])
    clock = FixedClock(datetime.combine(date(2026, 3, 2), time(9), BAKU))
    tickers = [
        Ticker(
            idempotent_producer(kafka_bootstrap, f"t{n}"),
            safe_consumer(kafka_bootstrap, None),
            topic,
            clock,
            date(2026, 3, 1),
            0.2,
            member=_member_of(kafka_bootstrap, group, topic),
        )
        for n in range(2)
    ]
    for ticker in tickers:
        await ticker.start()
    runs = [asyncio.create_task(t.run()) for t in tickers]
    leaders: list[Ticker] = []
    try:
        await _until(lambda: _days_on(kafka_bootstrap, topic), [date(2026, 3, 1), date(2026, 3, 2)])
        leaders = [t for t in tickers if await t.leading()]
        assert len(leaders) == 1
        leader = leaders[0]
        leader.stop()
        await runs[tickers.index(leader)]
        await leader.close()  # it leaves the group: the other is assigned the partition
        clock.set(datetime.combine(date(2026, 3, 3), time(9), BAKU))
        await _until(
            lambda: _days_on(kafka_bootstrap, topic),
            [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)],
        )
    finally:
        for ticker, run in zip(tickers, runs, strict=True):
            ticker.stop()
            await run
        for ticker in tickers:
            if ticker not in leaders[:1]:
                await ticker.close()


async def _until(read: Any, expected: list[date]) -> None:
    """Wait (up to a minute) until ``read()`` gives ``expected``; fail if it ever gives more."""
    for _ in range(120):
        days = await read()
        assert days == expected[: len(days)], days
        if days == expected:
            return
        await asyncio.sleep(0.5)
    raise AssertionError(f"never ticked {expected}")


async def test_a_ticker_started_while_the_broker_is_away_waits_for_it_and_ticks(
    own_stack: OwnStack,
) -> None:
    """Found by ``make chaos``: a ticker restarted during a broker restart exited with
    ``Unable to bootstrap``; it waits for the broker now (ADR 0021)."""
    topic = "ticks"
    await ensure_topics(own_stack.bootstrap, [Topic(topic, 1)])
    own_stack.kill_kafka()
    clock = FixedClock(datetime.combine(date(2026, 3, 2), time(9), BAKU))
    ticker = Ticker(
        idempotent_producer(own_stack.bootstrap, "t"),
        safe_consumer(own_stack.bootstrap, None),
        topic,
        clock,
        date(2026, 3, 1),
        60,
    )
    starting = asyncio.create_task(ticker.start())
    await asyncio.sleep(3)
    assert not starting.done()  # waiting, not failed
    await own_stack.start_kafka()
    await asyncio.wait_for(starting, 120)
    await ticker.tick_once()
    await ticker.close()
    assert await _days_on(own_stack.bootstrap, topic) == [date(2026, 3, 1), date(2026, 3, 2)]
