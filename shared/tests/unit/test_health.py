"""The probes' server: alive while the loop answers; ready only when every check passes."""

from __future__ import annotations

import asyncio
import json

from benefits_shared.health import HealthServer


async def _get(port: int, path: str) -> tuple[int, dict[str, object]]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    await writer.drain()
    answer = await reader.read()
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


async def _serving(server: HealthServer) -> asyncio.Task[None]:
    task = asyncio.create_task(server.run())
    await server.listening.wait()
    return task


async def test_ready_when_every_check_passes_and_not_ready_with_what_failed() -> None:
    kafka_up = True

    async def postgresql() -> str | None:
        return None

    async def kafka() -> str | None:
        return None if kafka_up else "kafka: no broker in the metadata"

    server = HealthServer("127.0.0.1", 0, [postgresql, kafka])
    task = await _serving(server)
    try:
        assert await _get(server.port, "/readyz") == (200, {"status": "ready"})
        kafka_up = False
        status, body = await _get(server.port, "/readyz")
        assert status == 503
        assert body["problems"] == ["kafka: no broker in the metadata"]
        assert await _get(server.port, "/healthz") == (200, {"status": "alive"})
    finally:
        server.stop()
        await task


async def test_a_check_that_raises_is_an_answer_not_a_crash() -> None:
    async def postgresql() -> str | None:
        raise ConnectionRefusedError("no")

    server = HealthServer("127.0.0.1", 0, [postgresql])
    task = await _serving(server)
    try:
        status, body = await _get(server.port, "/readyz")
        assert (status, body["problems"]) == (503, ["postgresql: ConnectionRefusedError"])
        assert (await _get(server.port, "/nothing"))[0] == 404
    finally:
        server.stop()
        await task
