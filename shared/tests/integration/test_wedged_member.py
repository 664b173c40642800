"""A consumer whose client stalls inside its group membership is replaced: the loop
notices that the broker dropped its member, renews the consumer, and what was published
meanwhile is handled (module ``benefits_shared.kafka.group_member``)."""

import asyncio
import time
from collections.abc import Awaitable, Callable

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.kafka.consumer_loop import ConsumerLoop, Delivery, LoopSettings
from benefits_shared.kafka.group_member import GroupMember
from benefits_shared.topics import Topic


async def _wedge(consumer: AIOKafkaConsumer) -> asyncio.Lock:
    """Stall the client as a broker restart once did: its coordinator lookup never ends,
    so it neither heartbeats nor rejoins nor commits, and says nothing (test-only use of
    aiokafka's internals)."""
    coordinator = consumer._coordinator
    lock = asyncio.Lock()
    await lock.acquire()
    coordinator._coordinator_lookup_lock = lock
    coordinator.coordinator_dead()
    return lock


async def _until(what: str, check: object, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.2)
    raise AssertionError(what)


async def _committed(bootstrap: str, group: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
        return sum(max(0, o.offset) for o in offsets.values())
    finally:
        await admin.close()


async def _until_async(
    what: str, value: Callable[[], Awaitable[int]], expected: int, timeout: float = 120
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await value() == expected:
            return
        await asyncio.sleep(0.5)
    raise AssertionError(f"{what}: {await value()} != {expected}")


async def test_a_member_the_broker_dropped_is_renewed_and_the_work_goes_on(
    kafka_bootstrap: str, fresh_topic: Topic, unique: str
) -> None:
    group = f"g-{unique}"
    producer = idempotent_producer(kafka_bootstrap, "t")
    await producer.start()
    member = GroupMember(
        kafka_bootstrap,
        group,
        lambda client_id: safe_consumer(
            kafka_bootstrap,
            group,
            fresh_topic.name,
            client_id=client_id,
            session_timeout_ms=6_000,  # the broker's smallest
            heartbeat_interval_ms=1_000,
        ),
        every_s=1.0,
        grace_s=4.0,
    )
    handled: list[bytes] = []

    async def handle(batch: list[Delivery[bytes]]) -> None:
        handled.extend(d.message for d in batch)

    loop: ConsumerLoop[bytes] = ConsumerLoop(
        member.consumer, producer, lambda r: r.value, handle, LoopSettings(group), member=member
    )
    await member.start()
    task = asyncio.create_task(loop.run())
    try:
        await producer.send_and_wait(fresh_topic.name, b"before", key=b"k")
        await _until("the first record handled", lambda: b"before" in handled)
        first = member.client_id
        stalled = await _wedge(member.consumer)

        await producer.send_and_wait(fresh_topic.name, b"while wedged", key=b"k")
        await _until("the member renewed", lambda: member.renewals == 1)
        await _until("the record handled by the new member", lambda: b"while wedged" in handled)
        assert member.client_id != first
        # ...and committed: the wedged client could still fetch, but never commit.
        await _until_async("both records committed", lambda: _committed(kafka_bootstrap, group), 2)
        assert not task.done()
        stalled.release()
    finally:
        loop.stop()
        await asyncio.wait_for(task, 60)
        await member.stop()
        await producer.stop()


async def test_the_watch_finds_a_healthy_member_in_its_group(
    kafka_bootstrap: str, fresh_topic: Topic, unique: str
) -> None:
    group = f"g-{unique}"
    member = GroupMember(
        kafka_bootstrap,
        group,
        lambda client_id: safe_consumer(
            kafka_bootstrap, group, fresh_topic.name, client_id=client_id
        ),
        every_s=0.5,
        grace_s=10.0,
    )
    await member.start()
    try:
        await asyncio.wait_for(member.consumer.getmany(timeout_ms=5_000), 30)
        await _until("assigned", lambda: bool(member.consumer.assignment()), timeout=60)
        ids = await member._client_ids()
        assert ids is not None and member.client_id in ids
        await asyncio.sleep(3)  # six more looks at the group
        assert not member.wedged.is_set()
        assert member.renewals == 0
    finally:
        await member.stop()
