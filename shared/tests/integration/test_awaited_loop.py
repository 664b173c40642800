"""A loop on a topic that does not exist yet says so once, however long it waits
(``benefits_shared.kafka.awaited_loop``)."""

import asyncio
import logging

import pytest
from benefits_shared.kafka.awaited_loop import AwaitedTopicLoop
from benefits_shared.kafka.clients import idempotent_producer
from benefits_shared.kafka.consumer_loop import Delivery, LoopSettings


async def test_a_missing_topic_is_one_log_line_not_one_per_check(
    kafka_bootstrap: str, unique: str, caplog: pytest.LogCaptureFixture
) -> None:
    producer = idempotent_producer(kafka_bootstrap, "t")
    await producer.start()

    async def handle(batch: list[Delivery[bytes]]) -> None:
        raise AssertionError("nothing to handle")

    loop: AwaitedTopicLoop[bytes] = AwaitedTopicLoop(
        kafka_bootstrap,
        producer,
        lambda r: r.value,
        handle,
        LoopSettings(f"g-{unique}"),
        f"never-created-{unique}",
        check_every_s=0.2,
    )
    caplog.set_level(logging.WARNING, logger="benefits_shared.kafka.awaited_loop")
    task = asyncio.create_task(loop.run())
    try:
        await asyncio.sleep(3)  # many checks
    finally:
        loop.stop()
        await asyncio.wait_for(task, 30)
        await producer.stop()
    said = [r for r in caplog.records if r.getMessage() == "topic missing; waiting for it"]
    assert len(said) == 1
