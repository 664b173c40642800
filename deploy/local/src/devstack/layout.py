"""Where the local stack keeps its state and which ports it listens on.

The defaults: state in ``<project>/.state`` (ignored by git), Kafka on 19092 (controller
19093), PostgreSQL on 15432. A second stack beside the first (the fresh-stack test, say)
moves them with ``DEVSTACK_STATE_DIR``, ``DEVSTACK_KAFKA_PORT``,
``DEVSTACK_CONTROLLER_PORT`` and ``DEVSTACK_POSTGRES_PORT``. The Kafka jar cache stays in
``<project>/.state/cache`` whatever the state folder: it is downloaded once per clone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

KAFKA_VERSION = "3.9.1"
KAFKA_PORT = 19092
CONTROLLER_PORT = 19093
POSTGRES_PORT = 15432
POSTGRES_USER = "benefits"
POSTGRES_DB = "benefits"


def project_root() -> Path:
    """The folder holding the workspace's root ``pyproject.toml`` (or ``BENEFITS_HOME``)."""
    if home := os.environ.get("BENEFITS_HOME"):
        return Path(home).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").exists() and (folder / "deploy" / "local").is_dir():
            return folder
    raise RuntimeError("run devstack inside the project (or set BENEFITS_HOME)")


@dataclass(frozen=True)
class Layout:
    root: Path
    state_dir: Path | None = None
    kafka_port: int = KAFKA_PORT
    controller_port: int = CONTROLLER_PORT
    postgres_port: int = POSTGRES_PORT
    #: ``make chaos``'s broker: a second listener for the services, on the first port,
    #: advertised on the second (the port of a proxy in front of it, ``devstack.tcp_proxy``).
    kafka_clients: tuple[int, int] | None = None

    @property
    def state(self) -> Path:
        return self.state_dir or self.root / ".state"

    @property
    def kafka_libs(self) -> Path:
        return self.root / ".state" / "cache" / f"kafka-{KAFKA_VERSION}-libs"

    @property
    def kafka_dir(self) -> Path:
        return self.state / "kafka"

    @property
    def postgres_dir(self) -> Path:
        return self.state / "postgres"

    @property
    def logs(self) -> Path:
        return self.state / "logs"


def layout() -> Layout:
    """The project's layout, moved by the ``DEVSTACK_*`` variables when they are set."""
    state = os.environ.get("DEVSTACK_STATE_DIR")
    return Layout(
        project_root(),
        Path(state).resolve() if state else None,
        _port("DEVSTACK_KAFKA_PORT", KAFKA_PORT),
        _port("DEVSTACK_CONTROLLER_PORT", CONTROLLER_PORT),
        _port("DEVSTACK_POSTGRES_PORT", POSTGRES_PORT),
    )


def _port(variable: str, default: int) -> int:
    return int(os.environ.get(variable) or default)
