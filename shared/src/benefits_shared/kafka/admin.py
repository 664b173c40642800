"""Readiness and the idempotent creation of the topic catalog."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from benefits_shared.connections import KafkaConnection, kafka_options
from benefits_shared.topics import Topic, dead_letter_name


async def wait_until_ready(bootstrap: str | KafkaConnection, timeout_s: float = 60.0) -> None:
    """Return once the broker answers an admin request (an open port is not enough)."""
    deadline = time.monotonic() + timeout_s
    last: Exception | None = None
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # refusals are expected here
    while time.monotonic() < deadline:
        admin = AIOKafkaAdminClient(**kafka_options(bootstrap), request_timeout_ms=5_000)
        try:
            await admin.start()
            await admin.list_topics()
            return
        except (KafkaError, OSError) as exc:
            last = exc
        finally:
            await admin.close()
        await asyncio.sleep(0.5)
    where = kafka_options(bootstrap)["bootstrap_servers"]
    raise TimeoutError(f"Kafka at {where} did not answer within {timeout_s}s: {last}")


@contextlib.asynccontextmanager
async def _admin(bootstrap: str | KafkaConnection) -> AsyncIterator[AIOKafkaAdminClient]:
    admin = AIOKafkaAdminClient(**kafka_options(bootstrap), request_timeout_ms=30_000)
    await admin.start()
    try:
        yield admin
    finally:
        await admin.close()


async def ensure_topics(bootstrap: str | KafkaConnection, topics: list[Topic]) -> list[str]:
    """Create the topics that do not exist yet; return the names created."""
    async with _admin(bootstrap) as admin:
        existing = set(await admin.list_topics())
        missing = [t for t in topics if t.name not in existing]
        if not missing:
            return []
        new = [NewTopic(t.name, t.partitions, 1, topic_configs=t.configs()) for t in missing]
        with contextlib.suppress(TopicAlreadyExistsError):
            await admin.create_topics(new)
        return [t.name for t in missing]


async def topic_names(bootstrap: str | KafkaConnection) -> set[str]:
    """The names of the topics the cluster has (those being deleted may still be among
    them for a while: the broker deletes in the background)."""
    async with _admin(bootstrap) as admin:
        return set(await admin.list_topics())


async def delete_topics(
    bootstrap: str | KafkaConnection, names: Iterable[str], dead_letters: bool = False
) -> None:
    """Delete those of the topics that exist (a test's or a bench's own, when done), with
    each one's dead-letter companion if ``dead_letters``."""
    names = [d for n in names for d in ((n, dead_letter_name(n)) if dead_letters else (n,))]
    async with _admin(bootstrap) as admin:
        existing = set(await admin.list_topics())
        if gone := [n for n in names if n in existing]:
            await admin.delete_topics(gone)
