"""The main job's observer rides out a broker that is new (no group coordinator yet) or
restarted, and a PostgreSQL restarted, while it polls: no error, one line each way."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from benefits_shared.kafka.admin import ensure_topics, wait_until_ready
from benefits_shared.kafka.clients import idempotent_producer
from devstack import kafka, postgres
from devstack.demo import watch
from devstack.layout import Layout
from devstack.namespace import Namespace
from devstack.observe import LIFE_EVENTS, Observer
from devstack.outages import Outages
from devstack.reconcile import Summary
from devstack.supervisor import Supervisor
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

SERVICES = {"engine", "bank-gateway", "notifier"}


def quick_outages() -> Outages:
    return Outages(give_up_after_s=180, initial_backoff_s=0.2, max_backoff_s=2)


async def gone_away(outages: Outages, source: str) -> None:
    """Until the observer has found ``source`` away twice more (so that a line per attempt
    would show)."""
    before = outages.failures[source]
    while outages.failures[source] < before + 2:
        await asyncio.sleep(0.1)


async def during_outage(
    outages: Outages,
    source: str,
    stop: Callable[[], object],
    start: Callable[[], object],
    poll: Callable[[], Awaitable[object]],
) -> object:
    """Stop ``source``, poll while it is away, start it again once the poll has noticed;
    the poll's result."""
    await asyncio.to_thread(stop)
    polling = asyncio.create_task(poll())
    await asyncio.wait_for(gone_away(outages, source), timeout=120)
    await asyncio.to_thread(start)
    return await asyncio.wait_for(polling, timeout=240)


async def test_the_observer_rides_out_a_new_broker_and_a_broker_restart(
    own_layout: Layout, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="devstack.outages")
    bootstrap = kafka.bootstrap(own_layout)
    await asyncio.to_thread(kafka.start, own_layout)
    await wait_until_ready(bootstrap, timeout_s=180)
    ns = Namespace(suffix=uuid.uuid4().hex[:8])
    await ensure_topics(bootstrap, ns.topics())
    producer = idempotent_producer(bootstrap, "outage-test")
    await producer.start()
    for n in range(5):
        await producer.send_and_wait(ns.topic(LIFE_EVENTS), f'{{"n": {n}}}'.encode(), key=b"k")
    await producer.stop()
    outages = quick_outages()
    observer = Observer(bootstrap, {}, ns, outages=outages)
    try:
        # A broker this new has no group coordinator yet: the lag is asked all the same.
        ends = await observer.end_offsets()
        assert (await observer.lag(ends, SERVICES))["eligibility-engine"] == 5
        caplog.clear()

        async def poll() -> tuple[dict[str, int], dict[str, int], int]:
            ends = await observer.end_offsets()
            lag = await observer.lag(ends, SERVICES)
            return ends, lag, len(await observer.read(LIFE_EVENTS.name))

        ends, lag, read = await during_outage(  # type: ignore[misc]
            outages,
            "Kafka",
            lambda: kafka.stop(own_layout),
            lambda: kafka.start(own_layout),
            poll,
        )
    finally:
        await observer.close()
    assert (ends[LIFE_EVENTS.name], lag["eligibility-engine"], read) == (5, 5, 5)
    kafka_lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Kafka ")]
    assert [line.split(" (")[0] for line in kafka_lines] == [
        "Kafka is not answering",
        "Kafka answers again",
    ]


async def test_the_progress_and_the_summary_ride_out_a_broker_restart(
    own_layout: Layout, tmp_path: Path
) -> None:
    bootstrap = kafka.bootstrap(own_layout)
    await asyncio.to_thread(kafka.start, own_layout)
    await wait_until_ready(bootstrap, timeout_s=180)
    ns = Namespace(suffix=uuid.uuid4().hex[:8])
    await ensure_topics(bootstrap, ns.topics())
    outages = quick_outages()
    nobody = "http://127.0.0.1:9"  # no simulator: their records are not compared
    observer = Observer(bootstrap, {"BANK_API_URL": nobody, "SMS_GATEWAY_URL": nobody}, ns)
    observer.outages = outages
    supervisor = Supervisor(tmp_path / "logs", {})
    summary = await during_outage(
        outages,
        "Kafka",
        lambda: kafka.stop(own_layout),
        lambda: kafka.start(own_layout),
        lambda: watch(observer, supervisor, quiet_s=3, timeout_s=300),
    )
    assert isinstance(summary, Summary)
    assert summary.reconciled
    assert outages.failures["Kafka"] >= 2


async def test_the_observer_rides_out_a_database_restart(
    own_layout: Layout, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="devstack.outages")
    await asyncio.to_thread(postgres.start, own_layout)
    engine = create_async_engine(postgres.url(own_layout))
    async with engine.begin() as conn:  # the notifier's notices, as far as they are read
        await conn.execute(text("CREATE SCHEMA notifier"))
        await conn.execute(text("CREATE TABLE notifier.notices (state varchar(16))"))
        await conn.execute(
            text("INSERT INTO notifier.notices VALUES ('pending'), ('pending'), ('accepted')")
        )
    await engine.dispose()
    outages = quick_outages()
    observer = Observer("127.0.0.1:1", {}, Namespace(), postgres.url(own_layout), outages=outages)
    try:
        assert await observer.notices_not_handed_over() == 2
        waiting = await during_outage(
            outages,
            "PostgreSQL",
            lambda: postgres.stop(own_layout),
            lambda: postgres.start(own_layout),
            observer.notices_not_handed_over,
        )
    finally:
        await observer.close()
    assert waiting == 2
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
        "PostgreSQL is not answering",
        "PostgreSQL answers again",
    ]
