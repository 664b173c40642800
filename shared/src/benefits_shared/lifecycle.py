"""Running a service process: SIGTERM and SIGINT stop it cleanly."""

from __future__ import annotations

import asyncio
import gc
import signal
from collections.abc import Callable, Coroutine
from typing import Any, Protocol, TypeVar

import uvloop

T = TypeVar("T")

#: A service's work allocates a great many short-lived objects that reference counting
#: frees; collecting the young generation after every 50,000 allocations (not Python's
#: 700) spares it most passes that would find nothing to collect (``settle_heap``).
GC_THRESHOLDS = (50_000, 20, 20)


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


def run(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """The body of every service's ``__main__.main``: ``main()`` on uvloop's event loop.

    uvloop runs the transports (asyncpg, aiokafka, httpx, uvicorn) and the task switches on
    libuv instead of the pure-Python selector loop: less CPU per event in every service
    (measured in the README's benchmark notes). The behaviour is asyncio's.
    """
    return uvloop.run(main())


def settle_heap() -> None:
    """Once a service's start-up is done, before its work: what start-up built (modules,
    schemas, compiled statements, clients) lives as long as the process. Collected once
    and then frozen out of the collector (``gc.freeze``), it is not walked again by every
    full pass; and the young generation is collected less often (``GC_THRESHOLDS``).

    The engine did this alone at first, where the collector had been a third of its CPU;
    a native profile of the notifier in the end-to-end run showed the collector in 10% of
    its samples without it (ADR 0034)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
