"""The lag watch reads each consumer group's position from a real broker: the records it
has not processed and the sum of its committed offsets, which stops moving when the group
stops, whatever its members' own gauges say (the alert ``BenefitsConsumerStalled``)."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from benefits_ops.lag_watch import LagWatch
from benefits_shared.topics import Topic
from prometheus_client import REGISTRY


def shown(family: str, group: str) -> float | None:
    return REGISTRY.get_sample_value(family, {"group": group})


async def commit(bootstrap: str, group: str, tp: TopicPartition, offset: int) -> None:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    consumer.assign([tp])
    try:
        await consumer.commit({tp: offset})
    finally:
        await consumer.stop()


async def test_each_group_shows_its_lag_and_committed_offsets_as_the_broker_has_them(
    kafka_bootstrap: str, fresh_topic: Topic, unique: str
) -> None:
    tp, group = TopicPartition(fresh_topic.name, 1), f"lag-watch-{unique}"
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for n in range(5):
            await producer.send_and_wait(fresh_topic.name, f"r{n}".encode(), partition=1)
    finally:
        await producer.stop()
    await commit(kafka_bootstrap, group, tp, 2)
    watch = LagWatch(kafka_bootstrap, [fresh_topic.name])

    await watch.look()
    assert shown("ops_consumer_group_lag_records", group) == 3
    assert shown("ops_consumer_group_committed_offsets", group) == 2

    await commit(kafka_bootstrap, group, tp, 5)  # the group worked through the rest
    await watch.look()
    assert shown("ops_consumer_group_lag_records", group) == 0
    assert shown("ops_consumer_group_committed_offsets", group) == 5

    watch.show({})  # the group is gone from the broker's answer: its series go too
    assert shown("ops_consumer_group_lag_records", group) is None
    assert shown("ops_consumer_group_committed_offsets", group) is None
