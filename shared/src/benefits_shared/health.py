"""``/healthz``, ``/readyz`` and ``/metrics`` of a service, on ``HEALTH_PORT`` (none when unset).

- ``/healthz`` (liveness): 200 whenever the event loop answers. The server runs on the
  service's own loop, so a blocked or dead loop is a probe that times out.
- ``/readyz`` (readiness): 200 when every check passes, else 503 with what failed. A
  service's checks (``ServiceRuntime``): no dependency reported away (``outages``: which
  one, since when, how many attempts failed), PostgreSQL answers ``SELECT 1``, a Kafka
  broker answers a metadata request, and every consumer group member has partitions
  assigned. While Kafka or PostgreSQL is away the service is alive but not ready: a
  restart would not bring the dependency back, so ``/healthz`` stays 200 (ADR 0021).
- ``/metrics``: the process's Prometheus families (``benefits_shared.metrics``).

A plain HTTP/1.1 responder on asyncio streams: three paths, no framework in every service.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from benefits_shared.metrics import exposition
from benefits_shared.outages import Outages

log = logging.getLogger(__name__)

#: A readiness check: None when fine, else what is wrong (no personal data).
Check = Callable[[], Awaitable[str | None]]
CHECK_TIMEOUT_SECONDS = 3.0
_REASONS = {200: "OK", 404: "Not Found", 503: "Service Unavailable"}


class HealthServer:
    """A part of a service (``run``/``stop``) that answers the two probes."""

    def __init__(self, host: str, port: int, checks: Sequence[Check]) -> None:
        self._host, self._port, self._checks = host, port, tuple(checks)
        self._stopped = asyncio.Event()
        self.listening = asyncio.Event()
        self.port = port

    async def run(self) -> None:
        server = await asyncio.start_server(self._serve, self._host, self._port)
        self.port = server.sockets[0].getsockname()[1]
        self.listening.set()
        try:
            await self._stopped.wait()
        finally:
            server.close()
            await server.wait_closed()

    def stop(self) -> None:
        self._stopped.set()

    async def not_ready(self) -> list[str]:
        """What keeps the service from being ready (empty: ready)."""
        results = await asyncio.gather(*(_bounded(check) for check in self._checks))
        return [problem for problem in results if problem is not None]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await reader.readline()
            parts = request.decode("latin-1").split()
            path = parts[1] if len(parts) > 1 else ""
            if path == "/metrics":
                status, (payload, content_type) = 200, exposition()
            else:
                status, body = await self._answer(path)
                payload, content_type = json.dumps(body).encode(), "application/json"
            head = (
                f"HTTP/1.1 {status} {_REASONS[status]}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
            )
            writer.write(head.encode() + payload)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def _answer(self, path: str) -> tuple[int, dict[str, object]]:
        if path == "/healthz":
            return 200, {"status": "alive"}
        if path == "/readyz":
            problems = await self.not_ready()
            return (
                (503, {"status": "not ready", "problems": problems})
                if problems
                else (
                    200,
                    {"status": "ready"},
                )
            )
        return 404, {"status": "unknown path"}


async def _bounded(check: Check) -> str | None:
    try:
        return await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
    except TimeoutError:
        return f"{getattr(check, '__name__', 'check')}: no answer in {CHECK_TIMEOUT_SECONDS}s"
    except Exception as exc:  # a failing check is an answer, never a crash of the probe
        return f"{getattr(check, '__name__', 'check')}: {type(exc).__name__}"


def nothing_away(outages: Outages) -> Check:
    async def dependencies() -> str | None:
        return "; ".join(outages.problems()) or None

    return dependencies


def database_answers(engine: AsyncEngine) -> Check:
    async def postgresql() -> str | None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return None

    return postgresql


def kafka_answers(producer: AIOKafkaProducer) -> Check:
    async def kafka() -> str | None:
        metadata = await producer.client.fetch_all_metadata()
        return None if metadata.brokers() else "kafka: no broker in the metadata"

    return kafka


def partitions_assigned(consumers: Callable[[], Sequence[AIOKafkaConsumer]]) -> Check:
    """Every group member has partitions (``consumers``: the current ones; a member's
    consumer is replaced when wedged)."""

    async def assignment() -> str | None:
        empty = sum(1 for consumer in consumers() if not consumer.assignment())
        return f"kafka: {empty} consumer(s) without partitions" if empty else None

    return assignment
