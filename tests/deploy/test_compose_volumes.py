"""Every stateful container of ``deploy/compose.yaml`` writes inside its named volume, so
``docker compose down`` and ``up`` (or a container recreated) keeps its data: a path left
to an image's default (Kafka's is ``/tmp/kraft-combined-logs``) would be lost."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
Service = dict[str, Any]
Where = Callable[[Service], str]


def env(name: str, image_default: str | None = None) -> Where:
    def where(service: Service) -> str:
        value = service.get("environment", {}).get(name, image_default)
        assert value, f"{name} is not set: the image would write elsewhere"
        return str(value)

    return where


def option(flag: str) -> Where:
    def where(service: Service) -> str:
        command = [str(arg) for arg in service.get("command", [])]
        assert flag in command, f"no {flag} in its command"
        return command[command.index(flag) + 1]

    return where


#: Where each stateful container writes, as its compose settings say.
WRITES: dict[str, list[Where]] = {
    "kafka": [env("KAFKA_LOG_DIRS")],  # the image's own default is under /tmp
    "postgres": [env("PGDATA", "/var/lib/postgresql/data")],  # the image's default
    "dataset": [option("--out")],
    "mse-commission": [option("--out"), option("--mse-drop-dir")],
    "registry-simulators": [env("REGISTRY_SIM_DATA_DIR")],
    "registry-connectors": [env("MSE_DROP_DIR")],
    "bank-simulator": [env("BANK_SIM_LEDGER_PATH")],
    "sms-simulator": [env("SMS_SIM_JOURNAL")],
}


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    return loaded


def named_mounts(service: Service, volumes: dict[str, Any]) -> list[PurePosixPath]:
    """The targets of the service's named volumes (not bind mounts of files)."""
    targets = []
    for mount in service.get("volumes", []):
        if isinstance(mount, dict):
            source, target = mount.get("source", ""), mount["target"]
        else:
            source, target = mount.split(":")[:2]
        if source in volumes:
            targets.append(PurePosixPath(target))
    return targets


def test_every_container_with_a_named_volume_says_where_it_writes() -> None:
    spec = compose()
    stateful = {
        name for name, s in spec["services"].items() if named_mounts(s, spec.get("volumes", {}))
    }
    assert stateful == set(WRITES)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_each_stateful_container_writes_inside_its_volume(name: str) -> None:
    spec = compose()
    service = spec["services"][name]
    mounts = named_mounts(service, spec["volumes"])
    for where in WRITES[name]:
        path = PurePosixPath(where(service))
        assert any(path == m or m in path.parents for m in mounts), (path, mounts)
