"""The observer's reads ride out a source that is briefly away, and say so once."""

from __future__ import annotations

import logging

import pytest
from aiokafka.errors import (
    GroupCoordinatorNotAvailableError,
    KafkaConnectionError,
    KafkaTimeoutError,
    RequestTimedOutError,
    UnknownError,
)
from devstack.outages import Outages, SourceUnavailableError


class Flaky:
    """Fails with the given errors in turn, then answers."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "answer"


def quick() -> Outages:
    return Outages(initial_backoff_s=0.001, max_backoff_s=0.002)


async def test_a_read_is_asked_again_until_the_source_answers() -> None:
    read = Flaky(
        GroupCoordinatorNotAvailableError(),
        KafkaConnectionError(),
        RequestTimedOutError(),
        KafkaTimeoutError(),
        ConnectionRefusedError(),
    )
    assert await quick().ride_out("Kafka", read) == "answer"
    assert read.calls == 6


async def test_one_line_when_a_source_goes_away_and_one_when_it_answers_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    outages = quick()
    caplog.set_level(logging.WARNING, logger="devstack.outages")
    await outages.ride_out("Kafka", Flaky(*[KafkaConnectionError()] * 5))
    await outages.ride_out("Kafka", Flaky())
    lines = [r.getMessage() for r in caplog.records]
    assert outages.failures["Kafka"] == 5
    assert len(lines) == 2
    assert lines[0].startswith("Kafka is not answering (KafkaConnectionError")
    assert lines[1].startswith("Kafka answers again")
    assert not outages.away


async def test_each_source_has_its_own_state(caplog: pytest.LogCaptureFixture) -> None:
    outages = quick()
    caplog.set_level(logging.WARNING, logger="devstack.outages")
    await outages.ride_out("Kafka", Flaky(KafkaConnectionError()))
    await outages.ride_out("PostgreSQL", Flaky(OSError(), OSError()))
    sources = [r.getMessage().split(" ")[0] for r in caplog.records]
    assert sources == ["Kafka", "Kafka", "PostgreSQL", "PostgreSQL"]


async def test_an_error_no_retry_can_cure_is_raised_at_once() -> None:
    read = Flaky(UnknownError(), KafkaConnectionError())
    with pytest.raises(UnknownError):
        await quick().ride_out("Kafka", read)
    assert read.calls == 1


async def test_a_source_away_too_long_is_an_error() -> None:
    outages = Outages(give_up_after_s=0, initial_backoff_s=0.001, max_backoff_s=0.001)
    with pytest.raises(SourceUnavailableError, match="Kafka did not answer"):
        await outages.ride_out("Kafka", Flaky(*[KafkaConnectionError()] * 100))
