"""The notifier on real Kafka and PostgreSQL against the real SMS-gateway simulator, both
run as processes (``python -m notifier``, ``python -m sms_simulator``) so tests can kill
them; fresh topics and schema per test."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from benefits_shared.clock import BAKU
from benefits_shared.contracts import Contract
from benefits_shared.contracts.decisions import BenefitDecided
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.pin import PinHasher
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

HASHER = PinHasher(DEV_PIN_HMAC_KEY)
ROLES = ("benefit-decisions", "payments", "persons", "notices")


@dataclass
class SmsSimulator:
    port: int
    journal: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, **faults: str) -> None:
        env = {
            **os.environ,
            "SMS_SIM_PORT": str(self.port),
            "SMS_SIM_JOURNAL": str(self.journal),
            "SMS_SIM_REPORT_DELAY_SECONDS": "0.05",
            "SMS_SIM_SEED": "7",
            "LOG_LEVEL": "WARNING",
            **{f"SMS_SIM_{k.upper()}": v for k, v in faults.items()},
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sms_simulator"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(f"{self.url}/_sim/health", self.process)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)

    def faults(self, **changes: Any) -> None:
        httpx.post(f"{self.url}/_sim/faults", json=changes).raise_for_status()

    def messages(self) -> list[dict[str, Any]]:
        answer: list[dict[str, Any]] = httpx.get(f"{self.url}/_sim/messages").json()
        return answer

    def reports(self) -> list[dict[str, Any]]:
        answer: list[dict[str, Any]] = httpx.get(f"{self.url}/_sim/reports").json()
        return answer


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the process serving {url} exited at start"
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not come up")


@dataclass
class NotifierRig:
    bootstrap: str
    database_url: str
    schema: str
    topics: dict[str, str]
    group: str
    engine: AsyncEngine
    sms: SmsSimulator
    port: int
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self, fixed_time: str, settings: dict[str, str]) -> dict[str, str]:
        return {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "DATABASE_URL": self.database_url,
            "SMS_GATEWAY_URL": self.sms.url,
            "NOTIFIER_SCHEMA": self.schema,
            "NOTIFIER_GROUP": self.group,
            "NOTIFIER_INPUT_TOPICS": json.dumps([self.topics[r] for r in ROLES[:3]]),
            "NOTIFIER_NOTICES_TOPIC": self.topics["notices"],
            "NOTIFIER_HTTP_PORT": str(self.port),
            "NOTIFIER_FIXED_TIME": fixed_time,
            "NOTIFIER_IDLE_POLL_SECONDS": "0.1",
            "LOG_LEVEL": "WARNING",
            **{f"NOTIFIER_{k.upper()}": v for k, v in settings.items()},
        }

    def start(self, fixed_time: str, **settings: str) -> subprocess.Popen[bytes]:
        """``python -m notifier`` with its clock pinned at ``fixed_time`` (Baku)."""
        proc = subprocess.Popen(
            [sys.executable, "-m", "notifier"],
            env=self.env(fixed_time, settings),
            stdout=subprocess.DEVNULL,
        )
        self.processes.append(proc)
        wait_until_up(f"{self.url}/health", proc)
        return proc

    def stop_all(self) -> None:
        for proc in self.processes:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    async def publish(self, events: Iterable[Contract]) -> None:
        """Publish payloads on their topics, keyed as their producers key them."""
        producer = idempotent_producer(self.bootstrap, "test-feed")
        await producer.start()
        try:
            futures = []
            for payload in events:
                event = payload.to_cloudevent("/test", datetime(2026, 3, 2, 9, tzinfo=BAKU), None)
                futures.append(
                    await producer.send(
                        self.topics[payload.TOPIC],
                        value=event.value(),
                        key=_key(payload),
                        headers=event.headers(),
                    )
                )
            await asyncio.gather(*futures)
        finally:
            await producer.stop()

    async def rows(self, sql: str) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            result = await conn.execute(text(sql.replace("{s}", f'"{self.schema}"')))
            return [dict(r._mapping) for r in result]

    async def scalar(self, sql: str) -> Any:
        async with self.engine.connect() as conn:
            return (await conn.execute(text(sql.replace("{s}", f'"{self.schema}"')))).scalar()

    async def notices(self) -> dict[str, dict[str, Any]]:
        """Every notice row, by notice id."""
        return {r["notice_id"]: r for r in await self.rows("SELECT * FROM {s}.notices")}

    def metric(self, name: str) -> float:
        """The sum of every sample of a metric on the notifier's ``/metrics``."""
        body = httpx.get(f"{self.url}/metrics").text
        samples = [line.rsplit(" ", 1) for line in body.splitlines() if line.startswith(name)]
        return sum(float(value) for sample, value in samples if sample.split("{")[0] == name)

    async def notice_events(self) -> list[dict[str, Any]]:
        """Every ``NoticeChanged`` on the notices topic, with its ``ce_id``."""
        reader = safe_consumer(self.bootstrap, None, self.topics["notices"])
        await reader.start()
        out: list[dict[str, Any]] = []
        try:
            while batch := await reader.getmany(timeout_ms=2000):
                for records in batch.values():
                    out += [
                        {"ce_id": dict(r.headers)["ce_id"].decode(), **json.loads(r.value)}
                        for r in records
                    ]
        finally:
            await reader.stop()
        return out


async def wait_for(check: Callable[[], Awaitable[bool]], what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out waiting until {what}")


def _key(payload: Contract) -> bytes:
    if isinstance(payload, BenefitDecided):
        return payload.case_id.encode()
    pin = getattr(payload, "pin", None) or getattr(payload, "recipient_pin", None)
    assert isinstance(pin, str)
    return HASHER.kafka_key(pin)
