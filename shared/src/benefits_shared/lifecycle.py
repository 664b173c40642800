"""Running a service process: SIGTERM and SIGINT stop it cleanly."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Coroutine
from typing import Any, Protocol


class Stoppable(Protocol):
    def stop(self) -> None: ...


def install_stop_signals(*parts: Stoppable) -> asyncio.Event:
    """On SIGTERM or SIGINT, ask every part to stop; the event is set as well."""
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()

    def _stop() -> None:
        stopped.set()
        for part in parts:
            part.stop()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, _stop)
    return stopped


def run(main: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """The body of every ``__main__.main``."""
    asyncio.run(main())
