"""Creating and deleting topics (the catalog at start; a test's or a bench's own when done)."""

import asyncio
import time

from benefits_shared.kafka.admin import delete_topics, ensure_topics, topic_names
from benefits_shared.topics import Topic


async def test_topics_are_created_once_and_deleted_when_they_exist(
    kafka_bootstrap: str, unique: str
) -> None:
    mine = [Topic(f"admin-{unique}-{i}", 2, has_dead_letters=False) for i in range(2)]
    assert await ensure_topics(kafka_bootstrap, mine) == [t.name for t in mine]
    assert await ensure_topics(kafka_bootstrap, mine) == []  # already there
    await delete_topics(kafka_bootstrap, [mine[0].name, f"never-{unique}"])
    deadline = time.monotonic() + 30
    # the broker deletes in the background
    while mine[0].name in await topic_names(kafka_bootstrap):
        assert time.monotonic() < deadline, "the topic was not deleted"
        await asyncio.sleep(0.2)
    assert mine[1].name in await topic_names(kafka_bootstrap)
    await delete_topics(kafka_bootstrap, [mine[1].name])


async def test_a_topic_is_deleted_with_its_dead_letters_when_asked(
    kafka_bootstrap: str, unique: str
) -> None:
    topic = Topic(f"admin-{unique}", 2)
    dlq = Topic(topic.dead_letter, 2, has_dead_letters=False)
    await ensure_topics(kafka_bootstrap, [topic, dlq])
    await delete_topics(kafka_bootstrap, [topic.name], dead_letters=True)
    deadline = time.monotonic() + 30
    while {topic.name, dlq.name} & await topic_names(kafka_bootstrap):
        assert time.monotonic() < deadline, "a topic was not deleted"
        await asyncio.sleep(0.2)
