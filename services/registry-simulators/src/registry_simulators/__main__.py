"""``python -m registry_simulators [both|civil|population]``: serve the simulated registries.

``both`` (the default) serves the civil-registry feed on ``CIVIL_SIM_PORT`` and the
population-registry API on ``POPULATION_SIM_PORT`` from one process; ``civil`` or
``population`` serves one. Both bind ``REGISTRY_SIM_HOST`` (127.0.0.1) and read the dataset
in ``REGISTRY_SIM_DATA_DIR``, writing one there first if it holds none.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from benefits_shared.lifecycle import install_stop_signals, run
from simulator_kit.holding import GRACEFUL_SHUTDOWN_SECONDS

from registry_simulators import bootstrap

CHOICES = ("both", "civil", "population")


class Server(uvicorn.Server):
    """A uvicorn server that leaves the signals to us, so one process can run two."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    def stop(self) -> None:
        self.should_exit = True


async def serve(which: str) -> None:
    servers = [
        Server(
            uvicorn.Config(
                listener.app,
                host=listener.host,
                port=listener.port,
                log_config=None,
                http="httptools",
                access_log=False,  # request paths carry PINs; /_sim/stats counts requests
                # a slow answer (the time-out fault) must not hold a shutdown for its delay
                timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
            )
        )
        for listener in bootstrap.listeners(which)
    ]
    install_stop_signals(*servers)
    await asyncio.gather(*(server.serve() for server in servers))


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "both"
    if which not in CHOICES:
        raise SystemExit(f"usage: python -m registry_simulators [{'|'.join(CHOICES)}]")
    run(lambda: serve(which))


if __name__ == "__main__":
    main()
