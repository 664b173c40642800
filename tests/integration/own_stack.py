"""A Kafka and a PostgreSQL of the test's own, to kill and crash under a running service
(ADR 0021): new data in a temp folder, free ports, never the shared stack.

Import the fixture into a test module (``from own_stack import own_stack``); the stack is
stopped and its data removed after the test.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from benefits_shared.kafka.admin import wait_until_ready
from benefits_shared.local_ports import free_port
from devstack import kafka, postgres
from devstack.layout import Layout

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class OwnStack:
    layout: Layout

    @property
    def bootstrap(self) -> str:
        return kafka.bootstrap(self.layout)

    @property
    def database_url(self) -> str:
        return postgres.url(self.layout)

    def kill_kafka(self) -> None:
        """SIGKILL of the broker: no clean shutdown, its data stays as it was."""
        assert kafka.kill(self.layout), "the broker is not running"

    async def start_kafka(self) -> None:
        """The broker again, from the same data, answering."""
        await asyncio.to_thread(kafka.start, self.layout)
        await wait_until_ready(self.bootstrap, timeout_s=180)

    def crash_postgres(self) -> None:
        """``pg_ctl stop -m immediate``: a crash, recovered from the WAL at the next start."""
        assert postgres.crash(self.layout), "PostgreSQL is not running"

    async def start_postgres(self) -> None:
        await asyncio.to_thread(postgres.start, self.layout)

    async def both_away_then_back(
        self, port: int, while_postgres_away: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        """PostgreSQL crashed under the service listening for probes on ``port`` (with
        ``while_postgres_away`` done meanwhile), then the broker SIGKILLed; PostgreSQL back,
        then the broker, each once ``/readyz`` said what it should."""
        self.crash_postgres()
        await until("/readyz names PostgreSQL", lambda: reports_away(port, "postgresql"))
        if while_postgres_away is not None:
            await while_postgres_away()
        await asyncio.sleep(3)  # a few of the service's attempts fail (no timing is asserted)
        self.kill_kafka()
        await until("/readyz names Kafka", lambda: reports_away(port, "kafka"))
        await self.start_postgres()  # work is recorded; the relay cannot publish
        await until("PostgreSQL answers again", lambda: answers_again(port, "postgresql"))
        await self.start_kafka()


@pytest.fixture
def own_stack(tmp_path: Path) -> Iterator[OwnStack]:
    lay = Layout(ROOT, tmp_path / "state", free_port(), free_port(), free_port())
    stack = OwnStack(lay)
    try:
        postgres.start(lay)
        kafka.start(lay)
        asyncio.run(wait_until_ready(stack.bootstrap, timeout_s=180))
        yield stack
    finally:
        kafka.stop(lay)
        postgres.remove(lay)


async def readiness(port: int) -> dict[str, Any]:
    """What the service's ``/readyz`` answers (its problems, if any)."""
    async with httpx.AsyncClient(timeout=10) as client:
        answer = await client.get(f"http://127.0.0.1:{port}/readyz")
    return dict(answer.json())


async def until(what: str, check: Callable[[], Awaitable[bool]], timeout: float = 240) -> None:
    """Poll ``check`` until it holds; fail the test after ``timeout`` seconds."""
    async with asyncio.timeout(timeout):
        while not await check():
            await asyncio.sleep(0.5)
    assert await check(), what


async def is_ready(port: int) -> bool:
    try:
        return (await readiness(port))["status"] == "ready"
    except httpx.HTTPError:
        return False  # not listening yet


async def answers_again(port: int, dependency: str) -> bool:
    return not await reports_away(port, dependency)


async def reports_away(port: int, dependency: str) -> bool:
    problems = (await readiness(port)).get("problems", [])
    return any(p.startswith(f"{dependency}: unreachable for ") for p in problems)


def log_lines(path: Path) -> list[dict[str, Any]]:
    """The service's JSON log lines (tracebacks and other text kept as ``raw``)."""
    lines = []
    for text in path.read_text(errors="replace").splitlines():
        try:
            lines.append(json.loads(text))
        except ValueError:
            lines.append({"raw": text})
    return lines


#: What the tracker says over ``both_away_then_back``: one line each way per dependency.
BOTH_WENT_AND_CAME_BACK = sorted(
    [
        "postgresql unreachable",
        "postgresql answers again",
        "kafka unreachable",
        "kafka answers again",
    ]
)


def state_changes(path: Path) -> list[str]:
    """The tracker's lines without their times, sorted."""
    return sorted(line.split(" since ")[0].split(" after ")[0] for line in outage_lines(path))


def loud_lines(path: Path) -> list[dict[str, Any]]:
    """Warnings, errors and text that is not JSON (a traceback)."""
    return [x for x in log_lines(path) if x.get("level") in ("warning", "error") or "raw" in x]


def outage_lines(path: Path) -> list[str]:
    """The tracker's lines: one per dependency going away or answering again."""
    return [
        line["msg"] for line in log_lines(path) if line.get("logger") == "benefits_shared.outages"
    ]
