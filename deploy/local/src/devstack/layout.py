"""Where the local stack keeps its state: ``<project>/.state`` (ignored by git)."""

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

    @property
    def state(self) -> Path:
        return self.root / ".state"

    @property
    def kafka_libs(self) -> Path:
        return self.state / "cache" / f"kafka-{KAFKA_VERSION}-libs"

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
    return Layout(project_root())
