"""The HTTP edge as a part of the notifier's ``ServiceRuntime``: uvicorn on 127.0.0.1.

uvicorn would install its own SIGTERM handler and take it from the runtime; here the
runtime stops every part, this one included, so uvicorn is told not to capture signals.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import uvicorn
from fastapi import FastAPI


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class HttpServer:
    def __init__(self, app: FastAPI, host: str, port: int) -> None:
        config = uvicorn.Config(
            app, host=host, port=port, log_config=None, lifespan="off", http="httptools"
        )
        self._server = _Server(config)

    async def run(self) -> None:
        await self._server.serve()

    def stop(self) -> None:
        self._server.should_exit = True
