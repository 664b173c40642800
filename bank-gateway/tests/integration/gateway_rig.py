"""A gateway under test: its processes, its topics, its schema and the bank it talks to."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bank_gateway.bench_rig import Simulator, gateway_env, publish, start_gateway
from benefits_shared.contracts.clock import DayStarted
from benefits_shared.contracts.decisions import BenefitDecided
from benefits_shared.kafka.clients import safe_consumer
from benefits_shared.service_runtime import RUNNING
from benefits_shared.testing import kill
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

#: Short time-outs and retries, so that faults cost seconds, not minutes.
FAST = {
    "BANK_TIMEOUT_SECONDS": "0.5",
    "BANK_HEDGE_AFTER_SECONDS": "0.1",
    "GATEWAY_STATUS_POLL_SECONDS": "0.3",
    "GATEWAY_RETRY_BASE_SECONDS": "0.05",
    "GATEWAY_RETRY_MAX_SECONDS": "1",
    "GATEWAY_BREAKER_OPEN_SECONDS": "0.3",
    "GATEWAY_DOCUMENT_SIZE": "7",
    "GATEWAY_IDLE_SECONDS": "0.05",
    "LOG_LEVEL": "INFO",
}


@dataclass
class GatewayRig:
    bootstrap: str
    database_url: str
    schema: str
    topics: dict[str, str]
    engine: AsyncEngine
    bank: Simulator
    log: Path | None = None
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        # One gateway at a time, a static member: a restart after SIGKILL gets the
        # partitions at once, not after the killed member's session (ADR 18).
        static = {"KAFKA_GROUP_INSTANCE_ID": "gateway-under-test"}
        return gateway_env(
            self.bootstrap,
            self.database_url,
            self.schema,
            self.topics,
            self.bank.url,
            **FAST,
            **static,
        )

    def start(self) -> subprocess.Popen[bytes]:
        proc = start_gateway(self.env(), log=self.log)
        self.processes.append(proc)
        return proc

    async def started(self, lives: int) -> None:
        """Until the gateway has started ``lives`` times, its stop signals in place each
        time (its log says so: ``RUNNING``)."""

        async def enough() -> bool:
            text = self.log.read_text() if self.log and self.log.exists() else ""
            return text.count(RUNNING) >= lives

        await self.wait_for(enough, what=f"start number {lives}")

    def kill_all(self) -> None:
        for proc in self.processes:
            if proc.poll() is None:
                kill(proc)

    def payroll(self, month: str) -> str:
        """``python -m bank_gateway payroll --month``: what it printed."""
        done = subprocess.run(
            [sys.executable, "-m", "bank_gateway", "payroll", "--month", month],
            env=self.env(),
            capture_output=True,
            check=True,
            timeout=60,
        )
        return done.stdout.decode()

    async def decide(self, *decisions: BenefitDecided) -> None:
        """Publish decisions keyed by case, as the engine keys them."""
        await publish(self.bootstrap, self.topics, [(d, d.case_id.encode()) for d in decisions])

    async def tick(self, *days: Any) -> None:
        await publish(self.bootstrap, self.topics, [(DayStarted(day=d), b"clock") for d in days])

    async def rows(self, sql: str) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            result = await conn.execute(text(sql.replace("{s}", f'"{self.schema}"')))
            return [dict(r._mapping) for r in result]

    async def scalar(self, sql: str) -> Any:
        return (await self.rows(sql))[0]["value"]

    async def settled(self) -> int:
        return await self.count("payments", "state = 'settled'")

    async def count(self, table: str, where: str = "true") -> int:
        return int(await self.scalar(f"SELECT count(*) AS value FROM {{s}}.{table} WHERE {where}"))

    async def count_is(self, table: str, n: int, where: str = "true") -> bool:
        return await self.count(table, where) == n

    async def settled_is(self, n: int) -> bool:
        return await self.settled() == n

    async def quiet(self) -> bool:
        """Nothing left to do: every document complete, the outbox published."""
        open_docs = await self.scalar(
            "SELECT count(*) AS value FROM {s}.documents WHERE completed_at IS NULL"
        )
        unsent = await self.scalar(
            "SELECT count(*) AS value FROM {s}.outbox WHERE published_at IS NULL"
        )
        return bool(open_docs == 0 and unsent == 0)

    async def wait_for(
        self, check: Callable[[], Awaitable[bool]], timeout: float = 60, what: str = ""
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if await check():
                    return
            except Exception:  # the gateway's tables may not exist yet
                pass
            await asyncio.sleep(0.2)
        raise TimeoutError(f"not reached in {timeout}s: {what}")

    async def on_payments_topic(self, expected: int) -> list[dict[str, Any]]:
        """Every event on the payments topic: its type, ce_id and payload."""
        reader = safe_consumer(self.bootstrap, None, self.topics["payments"])
        await reader.start()
        out: list[dict[str, Any]] = []
        quiet_since = deadline = time.monotonic()
        deadline += 60
        try:
            while len(out) < expected or time.monotonic() - quiet_since < 2:
                assert time.monotonic() < deadline, f"{len(out)} events, {expected} expected"
                batch = await reader.getmany(timeout_ms=500)
                for records in batch.values():
                    quiet_since = time.monotonic()
                    out += [_event(r) for r in records]
        finally:
            await reader.stop()
        return out


def _event(record: Any) -> dict[str, Any]:
    headers = {k: v.decode() for k, v in record.headers}
    return {
        "type": headers["ce_type"],
        "ce_id": headers["ce_id"],
        "key": record.key,
        **json.loads(record.value),
    }


def of_type(events: Sequence[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == f"az.gov.benefits.{name}.v1"]
