"""Partner-like servers for the main job: our bank and SMS simulators, each behind a thin
reverse proxy that answers 404 to ``/_sim`` (a real partner has no simulator listing),
so that ``make run`` sees them as it would see a real bank or SMS gateway. The test
itself asks the simulators on their own ports what they got."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

#: Headers the proxy does not pass on (the hop's own, or recomputed by httpx).
HOP_HEADERS = {"host", "content-length", "transfer-encoding", "connection", "content-encoding"}


def reverse_proxy(upstream: str) -> Starlette:
    """Forwards every request to ``upstream``, except ``/_sim…``: 404."""
    client = httpx.AsyncClient(base_url=upstream, timeout=60)

    async def forward(request: Request) -> Response:
        if request.url.path.startswith("/_sim"):
            return Response(status_code=404)
        answer = await client.request(
            request.method,
            request.url.path,
            params=request.query_params,
            content=await request.body(),
            headers={k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS},
        )
        headers = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_HEADERS}
        return Response(answer.content, answer.status_code, headers)

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    return Starlette(routes=[Route("/{path:path}", forward, methods=methods)])


@contextmanager
def serving(app: Starlette, port: int) -> Iterator[str]:
    """``app`` served on 127.0.0.1:``port`` in a thread of the test, stopped after."""
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class Simulator:
    """One of our simulators in its own process, asked directly on its own port."""

    url: str
    process: subprocess.Popen[bytes]

    def listing(self, path: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = httpx.get(f"{self.url}/_sim/{path}", timeout=30).json()
        return found


@contextmanager
def simulator(module: str, port: int, env: dict[str, str], log: Path) -> Iterator[Simulator]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", module],
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    sim = Simulator(f"http://127.0.0.1:{port}", process)
    try:
        _wait_until_up(sim)
        yield sim
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_until_up(sim: Simulator) -> None:
    for _ in range(300):
        if sim.process.poll() is not None:
            raise RuntimeError(f"{sim.url}: the simulator exited ({sim.process.returncode})")
        try:
            if httpx.get(f"{sim.url}/_sim/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{sim.url}: the simulator did not answer")
