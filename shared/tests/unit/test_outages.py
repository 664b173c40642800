"""The outage tracker: one line when a dependency goes, one when it is back, never one
per attempt; what ``/readyz`` says meanwhile; aiokafka's per-attempt lines quieted."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiokafka.errors import KafkaConnectionError
from benefits_shared.outages import (
    KAFKA,
    POSTGRESQL,
    DependencyWatch,
    KafkaClientChatter,
    Outages,
    Probe,
)


class Ticking:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def outage_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "benefits_shared.outages"]


def test_a_thousand_failed_attempts_are_two_lines(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    clock = Ticking()
    outages = Outages(clock)
    for _ in range(1000):
        outages.failed(KAFKA, KafkaConnectionError("Connect call failed"))
        clock.now += 0.03
    outages.answered(KAFKA)  # a call that slipped through while others fail: still away
    assert outages.is_away(KAFKA)
    clock.now += 2
    outages.answered(KAFKA)
    outages.answered(KAFKA)
    lines = outage_lines(caplog)
    assert len(lines) == 2
    assert lines[0].startswith("kafka unreachable since ")
    assert "KafkaConnectionError" in lines[0]
    assert lines[1] == "kafka answers again after 32.0 s"
    assert outages.changes == 2


def test_readiness_names_what_is_away_and_for_how_long() -> None:
    clock = Ticking()
    outages = Outages(clock)
    assert outages.problems() == []
    outages.failed(POSTGRESQL, ConnectionRefusedError(111, "Connect call failed"))
    outages.failed(POSTGRESQL, "again")
    clock.now += 12
    [problem] = outages.problems()
    assert problem.startswith("postgresql: unreachable for 12 s since ")
    assert "ConnectionRefusedError" in problem and "2 failed attempts" in problem
    outages.answered(POSTGRESQL)
    assert outages.problems() == []


def test_a_deadlock_is_no_outage() -> None:
    from sqlalchemy.exc import DBAPIError

    class Deadlock(Exception):
        sqlstate = "40P01"

    outages = Outages()
    outages.failed(POSTGRESQL, DBAPIError("UPDATE …", None, Deadlock()))
    assert not outages.is_away(POSTGRESQL)


def record(name: str, level: int, message: str) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


def test_aiokafkas_connection_errors_become_one_report_and_no_line() -> None:
    clock = Ticking()
    outages = Outages(clock)
    chatter = KafkaClientChatter(outages)
    refused = "Unable connect to node with id 1: [Errno 111] Connect call failed"
    assert not chatter.filter(record("aiokafka", logging.ERROR, refused))
    assert outages.is_away(KAFKA)
    # While Kafka is away, whatever aiokafka complains about is one more attempt.
    assert not chatter.filter(record("aiokafka.consumer.fetcher", logging.ERROR, "Failed"))
    assert chatter.swallowed == 2
    clock.now += 2
    outages.answered(KAFKA)
    # Back: its other warnings pass again, and so do lines of other loggers all along.
    assert chatter.filter(record("aiokafka.producer", logging.WARNING, "Topic not found"))
    assert chatter.filter(record("engine", logging.ERROR, "Unable connect to node"))
    assert chatter.filter(record("aiokafka", logging.INFO, refused))


def test_the_watch_notices_a_dependency_answering_again() -> None:
    clock = Ticking()
    outages = Outages(clock)
    answers = {KAFKA: False, POSTGRESQL: True}

    def probe(name: str) -> Probe:
        async def ask() -> str | None:
            if not answers[name]:
                raise KafkaConnectionError("refused")
            return None

        return ask

    watch = DependencyWatch({n: probe(n) for n in answers}, outages)

    async def scenario() -> None:
        await watch.ask(KAFKA, probe(KAFKA))
        assert outages.is_away(KAFKA)
        answers[KAFKA] = True
        clock.now += 2
        await watch.ask(KAFKA, probe(KAFKA))
        assert not outages.is_away(KAFKA)

    asyncio.run(scenario())


def test_a_probe_that_reports_a_problem_counts_as_not_answering() -> None:
    outages = Outages()

    async def no_broker() -> str | None:
        return "kafka: no broker in the metadata"

    asyncio.run(DependencyWatch({KAFKA: no_broker}, outages).ask(KAFKA, no_broker))
    assert outages.away[KAFKA].reason == "kafka: no broker in the metadata"


def test_a_step_riding_out_an_outage_pauses_longer_each_time_then_goes_on() -> None:
    from benefits_shared.outages import OUTAGES, Backoff, riding_out

    answers: list[float | Exception] = [KafkaConnectionError(), KafkaConnectionError(), 0.5]

    async def step() -> float:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def steps() -> list[float]:
        backoff = Backoff(0.1, 1.0)
        return [await riding_out(step, backoff, KAFKA) for _ in range(3)] + [backoff.pause()]

    try:
        assert asyncio.run(steps()) == [0.1, 0.2, 0.5, 0.1]  # the pause reset once it answered
        assert OUTAGES.is_away(KAFKA)  # until the watch hears it (or a part says so)

        async def broken() -> float:
            raise ValueError("a defect, not an outage")

        with pytest.raises(ValueError, match="a defect"):
            asyncio.run(riding_out(broken, Backoff()))
    finally:
        OUTAGES.answered(KAFKA)
