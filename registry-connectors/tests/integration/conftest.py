"""Fixtures of the connectors' integration tests: real Kafka, PostgreSQL, the registry
simulators as a real HTTP server, the connector as a real process (the rig lives in
``connector_rig``)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from benefits_shared.kafka.admin import ensure_topics
from benefits_shared.topics import Topic

sys.path.insert(0, str(Path(__file__).parent))

from connector_rig import TEST_PIN_KEY, Rig

MESS = {
    "--malformed-rate": "0.05",
    "--redelivery-rate": "0.05",
    "--seq-gap-rate": "0.05",
    "--cancellation-rate": "0.05",
    "--correction-rate": "0.05",
    "--mse-bad-row-rate": "0.3",
    "--mse-reupload-rate": "0.3",
    "--mse-empty-file-rate": "0.1",
}


@pytest.fixture(scope="session")
def messy_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated world (registry-simulators' generator): a civil feed with every kind of
    mess, MSE files with bad rows and corrected uploads, persons and their changes."""
    out = tmp_path_factory.mktemp("messy-world")
    args = ["--persons", "3000", "--seed", "7", "--days", "200", "--history-years", "6"]
    args += [item for pair in MESS.items() for item in pair]
    subprocess.run(
        [sys.executable, "-m", "registry_simulators.population", *args, "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out


@pytest_asyncio.fixture
async def persons_topic(kafka_bootstrap: str, unique: str) -> Topic:
    topic = Topic(f"test-persons-{unique}", 3, compacted=True)
    await ensure_topics(kafka_bootstrap, [topic, Topic(topic.dead_letter, 3)])
    return topic


@pytest.fixture
def rig(
    kafka_bootstrap: str,
    database_url: str,
    fresh_topic: Topic,
    persons_topic: Topic,
    fresh_schema: str,
    tmp_path: Path,
) -> Iterator[Rig]:
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "DATABASE_URL": database_url,
        "PIN_HMAC_KEY": TEST_PIN_KEY,
        "CONNECTORS_SCHEMA": fresh_schema,
        "LIFE_EVENTS_TOPIC": fresh_topic.name,
        "PERSONS_TOPIC": persons_topic.name,
        "CIVIL_POLL_SECONDS": "0.1",
        "POPULATION_POLL_SECONDS": "0.1",
        "MSE_POLL_SECONDS": "0.1",
        "HTTP_TIMEOUT_SECONDS": "0.5",
        "BACKOFF_INITIAL_SECONDS": "0.05",
        "BACKOFF_MAX_SECONDS": "0.4",
        "RETRY_AFTER_MAX_SECONDS": "2",
    }
    rig = Rig(env, fresh_topic.name, persons_topic.name, tmp_path)
    yield rig
    rig.close()
