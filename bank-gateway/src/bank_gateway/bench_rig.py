"""The processes the gateway's benchmark and integration tests run: the partner-bank
simulator (``python -m bank_simulator``) and the gateway (``python -m bank_gateway``), each
a real process on 127.0.0.1 that a test may SIGKILL, plus fresh topics and publishing."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from benefits_shared.clock import BAKU
from benefits_shared.contracts import Contract
from benefits_shared.kafka.admin import delete_topics, ensure_topics
from benefits_shared.kafka.clients import idempotent_producer
from benefits_shared.local_ports import free_port
from benefits_shared.topics import Topic

STARTUP_SECONDS = 120  # a loaded machine takes its time to import and bind
ROLES = ("benefit-decisions", "clock-ticks", "payments")


@dataclass
class Simulator:
    """A running bank simulator with its journal file."""

    process: subprocess.Popen[bytes]
    url: str
    ledger_path: Path

    def faults(self, **changes: Any) -> None:
        httpx.post(f"{self.url}/_sim/faults", json=changes, timeout=5).raise_for_status()

    def mark_deceased(self, pin: str) -> None:
        """Credits to this person are rejected from now on (``MD07``)."""
        answer = httpx.post(f"{self.url}/_sim/persons/deceased", json={"pin": pin}, timeout=5)
        answer.raise_for_status()

    def credits(self) -> list[dict[str, Any]]:
        """Every settled credit in the journal file: the money that moved."""
        if not self.ledger_path.exists():
            return []
        lines = self.ledger_path.read_text().splitlines()
        facts = [json.loads(line) for line in lines if line]
        return [f for f in facts if f["kind"] == "credit_settled"]

    def accounts(self) -> list[dict[str, Any]]:
        answer = httpx.get(f"{self.url}/_sim/accounts", timeout=10)
        answer.raise_for_status()
        rows: list[dict[str, Any]] = answer.json()
        return rows

    def stop(self) -> None:
        """SIGTERM; SIGKILL after 20 s (uvicorn's graceful stop waits for the requests in
        flight, and a request the faults hang for 35 s is still in flight)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)


def start_simulator(workdir: Path, **settings: Any) -> Simulator:
    """``python -m bank_simulator`` on a free port; ``settings``: ``BANK_SIM_*`` without it."""
    port, ledger = free_port(), workdir / f"bank-{uuid.uuid4().hex[:8]}.jsonl"
    env = {**os.environ, "BANK_SIM_PORT": str(port), "BANK_SIM_LEDGER_PATH": str(ledger)}
    env |= {f"BANK_SIM_{k.upper()}": str(v) for k, v in settings.items()}
    env.setdefault("LOG_LEVEL", "WARNING")
    process = subprocess.Popen(
        [sys.executable, "-m", "bank_simulator"], env=env, stdout=subprocess.DEVNULL
    )
    simulator = Simulator(process, f"http://127.0.0.1:{port}", ledger)
    try:
        _wait_until_up(simulator)
    except RuntimeError:
        simulator.stop()  # never leave it behind
        raise
    return simulator


def _wait_until_up(simulator: Simulator) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if simulator.process.poll() is not None:
            raise RuntimeError("the bank simulator exited at start")
        try:
            if httpx.get(f"{simulator.url}/_sim/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the bank simulator did not answer in time")


async def create_topics(bootstrap: str, suffix: str) -> dict[str, str]:
    """The gateway's topics (role → name), new, each with its dead-letter companion."""
    topics = {role: f"{role}-{suffix}" for role in ROLES}
    await ensure_topics(
        bootstrap,
        [Topic(name, 3) for name in topics.values()]
        + [Topic(f"{name}.dlq", 3, has_dead_letters=False) for name in topics.values()],
    )
    return topics


@contextlib.asynccontextmanager
async def fresh_topics(bootstrap: str, suffix: str) -> AsyncIterator[dict[str, str]]:
    """``create_topics``, deleted again afterwards: a bench or a test on a shared broker
    leaves it as it found it (the local one had gathered the topics of every bench run)."""
    topics = await create_topics(bootstrap, suffix)
    try:
        yield topics
    finally:
        await delete_topics(bootstrap, topics.values(), dead_letters=True)


def gateway_env(
    bootstrap: str,
    database_url: str,
    schema: str,
    topics: Mapping[str, str],
    bank_url: str,
    **overrides: str,
) -> dict[str, str]:
    """The environment of a gateway process on these topics, schema and bank."""
    return {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "DATABASE_URL": database_url,
        "BANK_API_URL": bank_url,
        "GATEWAY_SCHEMA": schema,
        "GATEWAY_GROUP": f"gateway-{schema}",
        "GATEWAY_INPUT_TOPICS": json.dumps([topics["benefit-decisions"], topics["clock-ticks"]]),
        "GATEWAY_PAYMENTS_TOPIC": topics["payments"],
        "LOG_LEVEL": "WARNING",
        **overrides,
    }


def start_gateway(
    env: Mapping[str, str], *args: str, log: Path | None = None
) -> subprocess.Popen[bytes]:
    """``python -m bank_gateway``; its log (stderr) appended to ``log`` if given."""
    err = log.open("ab") if log is not None else None
    try:
        return subprocess.Popen(  # noqa: S603 (our own module, no shell)
            [sys.executable, "-m", "bank_gateway", *args],
            env=dict(env),
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    finally:
        if err is not None:
            err.close()


async def publish(
    bootstrap: str, topics: Mapping[str, str], events: Iterable[tuple[Contract, bytes]]
) -> None:
    """Publish payloads on their topics (by role), with the given keys."""
    producer = idempotent_producer(bootstrap, "gateway-feed")
    await producer.start()
    try:
        futures = []
        for payload, key in events:
            event = payload.to_cloudevent("/test-feed", datetime.now(BAKU), None)
            topic = topics[payload.TOPIC]
            futures.append(
                await producer.send(topic, value=event.value(), key=key, headers=event.headers())
            )
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
