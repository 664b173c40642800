"""The engine on a Kafka secured as in production, with the ACLs its KafkaUser manifest
gives it: its own topics work; another service's topic and group are refused with an
authorization error (not a hang)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import GroupAuthorizationFailedError, TopicAuthorizationFailedError
from benefits_shared.contracts.clock import DayStarted
from benefits_shared.kafka.admin import ensure_topics, wait_until_ready
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.topics import CLOCK_TICKS, NOTICES, all_topics
from secure_stack import SecureKafka, free_port, make_certificates

ROOT = Path(__file__).resolve().parents[3]
ENGINE, ENGINE_PASSWORD = "eligibility-engine", "engine-secret"
REFUSAL_SECONDS = 30  # a guard: an authorization error comes back in well under this


def manifest_rules(user: str) -> list[dict[str, Any]]:
    path = ROOT / "deploy" / "k8s" / "base" / "generated" / "kafka-users.yaml"
    docs = [d for d in yaml.safe_load_all(path.read_text()) if d]
    doc = next(d for d in docs if d["kind"] == "KafkaUser" and d["metadata"]["name"] == user)
    rules: list[dict[str, Any]] = doc["spec"]["authorization"]["acls"]
    return rules


@pytest.fixture(scope="module")
def secure_kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecureKafka]:
    folder = tmp_path_factory.mktemp("secure-kafka")
    broker = SecureKafka(folder, make_certificates(folder / "tls"), {ENGINE: ENGINE_PASSWORD})
    broker.start()
    try:
        asyncio.run(wait_until_ready(broker.connection("admin"), timeout_s=90))
        asyncio.run(ensure_topics(broker.connection("admin"), all_topics()))
        broker.add_acls(ENGINE, manifest_rules(ENGINE))
        yield broker
    finally:
        broker.stop()


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0


@pytest.fixture
def engine(secure_kafka: SecureKafka, database_url: str, unique: str) -> Iterator[int]:
    """The engine process with its SCRAM user over TLS; yields its health port."""
    port = free_port()
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{secure_kafka.port}",
        "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "KAFKA_SASL_USERNAME": ENGINE,
        "KAFKA_SASL_PASSWORD": ENGINE_PASSWORD,
        "KAFKA_SSL_CAFILE": str(secure_kafka.certs.ca),
        "DATABASE_URL": database_url,
        "ENGINE_SCHEMA": f"t_{unique}",
        "HEALTH_PORT": str(port),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "eligibility_engine"], env=env, stdout=subprocess.DEVNULL
    )
    try:
        yield port
    finally:
        process.terminate()
        assert process.wait(timeout=60) == 0


async def _until(condition: Any, seconds: float) -> None:
    for _ in range(int(seconds * 2)):
        if await condition():
            return
        await asyncio.sleep(0.5)
    raise AssertionError(f"not within {seconds}s")


async def test_the_engine_reads_and_commits_its_own_topics(
    secure_kafka: SecureKafka, engine: int
) -> None:
    async def ready() -> bool:
        return await asyncio.to_thread(_get, f"http://127.0.0.1:{engine}/readyz") == 200

    await _until(ready, 120)  # connected to both, partitions of its group assigned

    admin_kafka = secure_kafka.connection("admin")
    producer = idempotent_producer(admin_kafka, "test-feed")
    await producer.start()
    event = DayStarted(day=date(2026, 1, 5)).to_cloudevent(
        "/test", datetime(2026, 1, 5, tzinfo=UTC), None
    )
    try:
        await producer.send_and_wait(
            CLOCK_TICKS.name, event.value(), b"clock", headers=event.headers()
        )
    finally:
        await producer.stop()

    admin = AIOKafkaAdminClient(**admin_kafka.client_options())
    await admin.start()
    try:

        async def committed() -> bool:
            offsets = await admin.list_consumer_group_offsets(ENGINE)
            meta = offsets.get(TopicPartition(CLOCK_TICKS.name, 0))
            return meta is not None and meta.offset >= 1

        await _until(committed, 60)
    finally:
        await admin.close()


async def test_another_services_topic_is_refused_to_the_engine(secure_kafka: SecureKafka) -> None:
    producer = idempotent_producer(secure_kafka.connection(ENGINE), "acl-probe")
    await producer.start()
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            await asyncio.wait_for(producer.send_and_wait(NOTICES.name, b"{}"), REFUSAL_SECONDS)
    finally:
        await producer.stop()

    # In a group of its own (its prefix), subscribed to the notifier's topic.
    reader = safe_consumer(secure_kafka.connection(ENGINE), f"{ENGINE}-probe", NOTICES.name)
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            await asyncio.wait_for(reader.start(), REFUSAL_SECONDS)  # its metadata is refused
    finally:
        await reader.stop()


async def test_another_services_group_is_refused_to_the_engine(secure_kafka: SecureKafka) -> None:
    member = safe_consumer(secure_kafka.connection(ENGINE), "notifier", CLOCK_TICKS.name)
    try:
        with pytest.raises(GroupAuthorizationFailedError):
            await asyncio.wait_for(member.start(), REFUSAL_SECONDS)  # joining is refused
    finally:
        await member.stop()
