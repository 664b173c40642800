"""Creating and deleting topics (the catalog at start; a test's or a bench's own when done)."""

import asyncio
import time

from aiokafka.admin import AIOKafkaAdminClient
from benefits_shared.kafka.admin import delete_topics, ensure_topics
from benefits_shared.topics import Topic


async def _names(bootstrap: str) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def test_topics_are_created_once_and_deleted_when_they_exist(
    kafka_bootstrap: str, unique: str
) -> None:
    mine = [Topic(f"admin-{unique}-{i}", 2, has_dead_letters=False) for i in range(2)]
    assert await ensure_topics(kafka_bootstrap, mine) == [t.name for t in mine]
    assert await ensure_topics(kafka_bootstrap, mine) == []  # already there
    await delete_topics(kafka_bootstrap, [mine[0].name, f"never-{unique}"])
    deadline = time.monotonic() + 30
    while mine[0].name in await _names(kafka_bootstrap):  # the broker deletes in the background
        assert time.monotonic() < deadline, "the topic was not deleted"
        await asyncio.sleep(0.2)
    assert mine[1].name in await _names(kafka_bootstrap)
    await delete_topics(kafka_bootstrap, [mine[1].name])
