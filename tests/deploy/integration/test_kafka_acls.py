"""Services on a Kafka secured as in production, each user with the ACLs its generated
KafkaUser manifest gives it: the engine's own topics work and another service's topic and
group are refused with an authorization error (not a hang); the clock ticker joins its
group and ticks; the ops user reads every service group's lag."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import GroupAuthorizationFailedError, TopicAuthorizationFailedError
from benefits_ops.adapters.kafka_records import consumer_lag
from benefits_shared.contracts.clock import DayStarted
from benefits_shared.kafka.admin import ensure_topics, wait_until_ready
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.topics import CLOCK_TICKS, NOTICES, all_topics
from secure_stack import SecureKafka, free_port, make_certificates

ROOT = Path(__file__).resolve().parents[3]
ENGINE, TICKER, OPS = "eligibility-engine", "clock-ticker", "ops"
#: The users given their manifest's ACLs (one kafka-acls run per kind of rule: seconds each).
USERS = (ENGINE, TICKER, OPS)
REFUSAL_SECONDS = 30  # a guard: an authorization error comes back in well under this


def manifest_rules() -> dict[str, list[dict[str, Any]]]:
    """Every generated KafkaUser's ACL rules, by user name."""
    path = ROOT / "deploy" / "k8s" / "base" / "generated" / "kafka-users.yaml"
    docs = [d for d in yaml.safe_load_all(path.read_text()) if d]
    return {
        d["metadata"]["name"]: d["spec"]["authorization"]["acls"]
        for d in docs
        if d["kind"] == "KafkaUser"
    }


@pytest.fixture(scope="module")
def secure_kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecureKafka]:
    folder = tmp_path_factory.mktemp("secure-kafka")
    rules = manifest_rules()
    assert set(USERS) <= set(rules), "a tested user has no KafkaUser manifest"
    passwords = {user: f"{user}-secret" for user in USERS}
    broker = SecureKafka(folder, make_certificates(folder / "tls"), passwords)
    broker.start()
    try:
        asyncio.run(wait_until_ready(broker.connection("admin"), timeout_s=90))
        asyncio.run(ensure_topics(broker.connection("admin"), all_topics()))
        for user in USERS:
            broker.add_acls(user, rules[user])
        yield broker
    finally:
        broker.stop()


def service_env(secure_kafka: SecureKafka, user: str, **more: str) -> dict[str, str]:
    """The environment a Deployment gives the service: its SCRAM user over TLS."""
    return {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{secure_kafka.port}",
        "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "KAFKA_SASL_USERNAME": user,
        "KAFKA_SASL_PASSWORD": secure_kafka.users[user],
        "KAFKA_SSL_CAFILE": str(secure_kafka.certs.ca),
        **more,
    }


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
    env = service_env(
        secure_kafka,
        ENGINE,
        DATABASE_URL=database_url,
        ENGINE_SCHEMA=f"t_{unique}",
        HEALTH_PORT=str(port),
    )
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


async def _send_tick(kafka: SecureKafka, day: date) -> None:
    producer = idempotent_producer(kafka.connection("admin"), "test-feed")
    await producer.start()
    event = DayStarted(day=day).to_cloudevent("/test", datetime(2026, 1, 5, tzinfo=UTC), None)
    try:
        await producer.send_and_wait(
            CLOCK_TICKS.name, event.value(), b"clock", headers=event.headers()
        )
    finally:
        await producer.stop()


async def test_the_engine_reads_and_commits_its_own_topics(
    secure_kafka: SecureKafka, engine: int
) -> None:
    async def ready() -> bool:
        return await asyncio.to_thread(_get, f"http://127.0.0.1:{engine}/readyz") == 200

    await _until(ready, 120)  # connected to both, partitions of its group assigned

    await _send_tick(secure_kafka, date(2026, 1, 5))

    admin = AIOKafkaAdminClient(**secure_kafka.connection("admin").client_options())
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


TICKER_TODAY = date(2026, 3, 2)  # later than any tick another test sends


async def _days_ticked(kafka: SecureKafka) -> set[date]:
    reader = safe_consumer(kafka.connection("admin"), None)
    await reader.start()
    try:
        tp = TopicPartition(CLOCK_TICKS.name, 0)
        end = (await reader.end_offsets([tp]))[tp]
        reader.assign([tp])
        await reader.seek_to_beginning(tp)
        days: set[date] = set()
        while (await reader.position(tp)) < end:
            batch = await reader.getmany(tp, timeout_ms=5_000)
            days |= {DayStarted.model_validate_json(r.value).day for r in batch.get(tp, [])}
        return days
    finally:
        await reader.stop()


@pytest.fixture
def ticker(
    secure_kafka: SecureKafka, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """The clock ticker as its Deployment runs it; yields the process and its stderr."""
    env = service_env(
        secure_kafka,
        TICKER,
        CLOCK_START=str(TICKER_TODAY - timedelta(days=1)),
        CLOCK_TODAY=str(TICKER_TODAY),
        HEALTH_PORT=str(free_port()),
    )
    log = tmp_path / "ticker.err"
    with log.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "clock_ticker"], env=env, stdout=subprocess.DEVNULL, stderr=err
        )
    try:
        yield process, log
    finally:
        crashed = process.poll() is not None  # the test says so with its log
        process.terminate()
        assert process.wait(timeout=60) == 0 or crashed, log.read_text()[-3000:]


async def test_the_clock_ticker_joins_its_group_and_ticks(
    secure_kafka: SecureKafka, ticker: tuple[subprocess.Popen[bytes], Path]
) -> None:
    # It leads by its group's one partition (ADR 0019): without a Read on CLOCK_GROUP it
    # crash-loops on GroupAuthorizationFailedError.
    process, log = ticker

    async def ticked_today() -> bool:
        assert process.poll() is None, log.read_text()[-3000:]
        return TICKER_TODAY in await _days_ticked(secure_kafka)

    await _until(ticked_today, 90)


async def test_the_ops_user_reads_the_engine_groups_lag(secure_kafka: SecureKafka) -> None:
    """The console's consumer-lag table lists the groups the ops user may Describe."""
    tp = TopicPartition(CLOCK_TICKS.name, 0)
    await _send_tick(secure_kafka, date(2026, 1, 1))
    # The engine's group has read nothing of the clock (its own user commits offset 0).
    member = safe_consumer(secure_kafka.connection(ENGINE), ENGINE)
    await member.start()
    try:
        member.assign([tp])
        await member.commit({tp: 0})
        end = (await member.end_offsets([tp]))[tp]
    finally:
        await member.stop()

    lag = await consumer_lag(secure_kafka.connection(OPS), [CLOCK_TICKS.name])

    assert lag.get(ENGINE) == end > 0
