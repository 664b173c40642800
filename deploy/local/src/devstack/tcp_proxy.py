"""A TCP proxy of our own on 127.0.0.1, between the services and Kafka or PostgreSQL, that
``make chaos`` turns bad on demand (``devstack.chaos``).

Modes: ``pass`` forwards; ``latency`` holds every chunk ``latency_ms`` before forwarding it;
``stall`` still accepts connections and reads a chunk, but forwards nothing either way (a
half-open peer: the client sees silence, not an error). ``cut()`` closes every open
connection at once (a reset); new ones are accepted as the mode says.

It runs on a thread and an event loop of its own, so that the caller's blocking work (a
``pg_ctl``, reading a topic) never slows the traffic it carries.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from enum import StrEnum
from typing import Any, TypeVar

T = TypeVar("T")

CHUNK = 65536


class Mode(StrEnum):
    PASS = "pass"  # noqa: S105 (a mode, not a password)
    LATENCY = "latency"
    STALL = "stall"


class TcpProxy:
    """Forwards ``127.0.0.1:listen_port`` to ``127.0.0.1:target_port``."""

    def __init__(self, name: str, listen_port: int, target_port: int) -> None:
        self.name = name
        self.listen_port = listen_port
        self.target_port = target_port
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=name, daemon=True)
        self._flowing = asyncio.Event()
        self._latency_s = 0.0
        self._links: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None

    def start(self) -> None:
        self._thread.start()
        self._call(self._listen()).result(timeout=10)

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        self._call(self._close()).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def set_mode(self, mode: Mode, latency_ms: int = 0) -> None:
        self._call(self._set(mode, latency_ms / 1000)).result(timeout=10)

    def cut(self) -> int:
        """Close every open connection now; how many there were (both ends count)."""
        return self._call(self._cut()).result(timeout=10)

    def _call(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    async def _listen(self) -> None:
        self._flowing.set()
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.listen_port)

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        await self._cut()

    async def _set(self, mode: Mode, latency_s: float) -> None:
        self._latency_s = latency_s if mode is Mode.LATENCY else 0.0
        if mode is Mode.STALL:
            self._flowing.clear()
        else:
            self._flowing.set()

    async def _cut(self) -> int:
        links = list(self._links)
        for writer in links:
            writer.transport.abort()
        self._links.clear()
        return len(links)

    async def _accept(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        self._links.add(client_w)
        try:
            upstream_r, upstream_w = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_w.transport.abort()
            self._links.discard(client_w)
            return
        self._links.add(upstream_w)
        await asyncio.gather(self._pipe(client_r, upstream_w), self._pipe(upstream_r, client_w))

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(CHUNK):
                await self._flowing.wait()
                if self._latency_s:
                    await asyncio.sleep(self._latency_s)
                sink.write(data)
                await sink.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._links.discard(sink)
            sink.transport.abort()
