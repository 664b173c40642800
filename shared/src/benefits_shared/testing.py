"""Pytest fixtures for tests on the real thing (loaded by the root ``conftest.py``).

Where Kafka and PostgreSQL come from, in order:

1. ``KAFKA_BOOTSTRAP_SERVERS`` / ``DATABASE_URL`` when set;
2. otherwise the local stack of ``deploy/local`` (``devstack up``: started if needed);
3. otherwise testcontainers, when a Docker engine answers.

Each test gets fresh topics and a fresh schema, so tests never see each other's data; at
the end of the session every topic and schema it made is removed (benchmarks' own aside).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from benefits_shared.kafka.admin import (
    delete_topics,
    ensure_topics,
    topic_names,
    wait_until_ready,
)
from benefits_shared.settings import LOCAL_DATABASE_URL, LOCAL_KAFKA
from benefits_shared.topics import Topic


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(["docker", "info"], capture_output=True, check=False)
    return probe.returncode == 0


def _local_stack_up() -> bool:
    if shutil.which("devstack") is None:
        return False
    subprocess.run(["devstack", "up"], check=True, stdout=subprocess.DEVNULL)
    return True


@pytest.fixture(scope="session")
def infrastructure() -> Iterator[dict[str, str]]:
    """The Kafka and PostgreSQL endpoints every integration test uses."""
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    db = os.environ.get("DATABASE_URL")
    containers: list[Any] = []
    if not (kafka and db):
        if _local_stack_up():
            kafka, db = kafka or LOCAL_KAFKA, db or LOCAL_DATABASE_URL
        elif _docker_answers():
            from testcontainers.kafka import KafkaContainer
            from testcontainers.postgres import PostgresContainer

            if not kafka:
                containers.append(KafkaContainer("apache/kafka:3.9.1").with_kraft().start())
                kafka = containers[-1].get_bootstrap_server()
            if not db:
                containers.append(PostgresContainer("postgres:15", driver="asyncpg").start())
                db = containers[-1].get_connection_url()
        else:
            raise RuntimeError(
                "no Kafka/PostgreSQL: set KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL, run "
                "`make up`, or start a Docker engine"
            )
    assert kafka and db
    asyncio.run(wait_until_ready(kafka))
    before = asyncio.run(_what_exists(kafka, db))
    yield {"kafka": kafka, "database_url": db}
    asyncio.run(_sweep(kafka, db, before))
    for container in containers:
        container.stop()


#: Left alone by the sweep even if made during the session: a benchmark's own topics and
#: schemas (it removes them itself when done).
_NOT_OURS = ("bench",)
_SCHEMAS = "SELECT nspname FROM pg_namespace"


async def _what_exists(kafka: str, db: str) -> tuple[set[str], set[str]]:
    """The broker's topics and the database's schemas before the session."""
    topics = await topic_names(kafka)
    engine = create_async_engine(db)
    try:
        async with engine.connect() as conn:
            schemas = set((await conn.execute(text(_SCHEMAS))).scalars())
    finally:
        await engine.dispose()
    return topics, schemas


async def _sweep(kafka: str, db: str, before: tuple[set[str], set[str]]) -> None:
    """Delete the topics and drop the schemas the session made (every namespaced rig,
    every engine and connector a test started), so that a long-lived local stack does not
    gather thousands of partitions and schemas from finished runs (about 350 topics a
    ``make test``). What existed before, and benchmarks' own, stay. A failure here is a
    warning, not a failed run."""
    try:
        now = await _what_exists(kafka, db)
        topics = sorted(t for t in now[0] - before[0] if not t.startswith(("__", *_NOT_OURS)))
        schemas = sorted(n for n in now[1] - before[1] if not n.startswith(_NOT_OURS))
        for start in range(0, len(topics), 100):  # a request the broker answers in time
            await delete_topics(kafka, topics[start : start + 100])
        engine = create_async_engine(db)
        try:
            for schema in schemas:
                async with engine.begin() as conn:
                    await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        finally:
            await engine.dispose()
    except Exception as exc:  # the tests' verdict is theirs; leftovers only cost space
        warnings.warn(f"test topics and schemas not removed: {exc!r}", stacklevel=1)


@pytest.fixture(scope="session")
def kafka_bootstrap(infrastructure: dict[str, str]) -> str:
    return infrastructure["kafka"]


@pytest.fixture(scope="session")
def database_url(infrastructure: dict[str, str]) -> str:
    return infrastructure["database_url"]


@pytest.fixture
def unique() -> str:
    """A short random suffix for names that must not collide between tests."""
    return uuid.uuid4().hex[:10]


@pytest_asyncio.fixture
async def fresh_topic(kafka_bootstrap: str, unique: str) -> AsyncIterator[Topic]:
    """A new topic of 3 partitions with its dead-letter companion, deleted after the test
    (a long-lived local broker gathered thousands of partitions of finished tests)."""
    topic = Topic(f"test-{unique}", 3)
    dlq = Topic(topic.dead_letter, 3, has_dead_letters=False)
    await ensure_topics(kafka_bootstrap, [topic, dlq])
    yield topic
    await delete_topics(kafka_bootstrap, [topic.name], dead_letters=True)


@pytest_asyncio.fixture
async def db_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url)
    yield engine
    await engine.dispose()


@pytest_asyncio.fixture
async def fresh_schema(db_engine: AsyncEngine, unique: str) -> AsyncIterator[str]:
    """An empty schema, dropped after the test."""
    schema = f"t_{unique}"
    async with db_engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield schema
    async with db_engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


async def schema_tables(engine: AsyncEngine, schema: str) -> set[str]:
    """The names of the tables in ``schema`` (a migration test's before and after)."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
            {"s": schema},
        )
        return {r[0] for r in rows}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by their folder: ``integration/`` and ``e2e/`` need the real stack."""
    for item in items:
        parts = item.path.parts
        if "integration" in parts:
            item.add_marker(pytest.mark.integration)
        if "e2e" in parts:
            item.add_marker(pytest.mark.e2e)


#: The environment variable naming the file a worker script touches once its stop
#: signals are installed (:func:`worker_ready`), and those files by process id.
READY_FILE = "WORKER_READY_FILE"
_READY_FILES: dict[int, Path] = {}


def worker_ready() -> None:
    """Called by a worker script once SIGTERM stops it cleanly (see :func:`terminate`)."""
    Path(os.environ[READY_FILE]).touch()


def start_script(script: Path, *args: str) -> subprocess.Popen[bytes]:
    """Run a worker script of a test in its own process (so a test can SIGKILL it). The
    script calls :func:`worker_ready` once it handles SIGTERM (see :func:`terminate`)."""
    ready = Path(tempfile.gettempdir()) / f"worker-ready-{uuid.uuid4().hex}"
    proc = subprocess.Popen(
        [sys.executable, str(script), *args],
        stdout=subprocess.DEVNULL,
        env={**os.environ, READY_FILE: str(ready)},
    )
    _READY_FILES[proc.pid] = ready
    return proc


def kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL: no clean-up, no last commit, as a crash or an OOM kill would do."""
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    _forget_ready(proc)


def terminate(proc: subprocess.Popen[bytes]) -> int:
    """SIGTERM and the exit status of the graceful shutdown. A worker script is first
    waited for until it handles SIGTERM: one still importing would die of the signal (-15),
    which says nothing of its shutdown."""
    ready = _READY_FILES.get(proc.pid)
    deadline = time.monotonic() + 60
    while ready is not None and not ready.exists() and proc.poll() is None:
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    _forget_ready(proc)
    proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout=60)


def _forget_ready(proc: subprocess.Popen[bytes]) -> None:
    ready = _READY_FILES.pop(proc.pid, None)  # None: not started by start_script
    if ready is not None:
        ready.unlink(missing_ok=True)


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements run on ``engine`` meanwhile (an executemany counts once)."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
