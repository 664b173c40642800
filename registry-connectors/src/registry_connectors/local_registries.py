"""The project's registry simulators as a local process, for the benchmark and the tests.

``python -m registry_simulators`` (the ``registry-simulators`` member) serves a dataset
folder holding ``civil_registry.jsonl``, ``population.jsonl`` and
``population_changes.jsonl`` on two ports of 127.0.0.1. Nothing here imports the
simulators: they are another deployable, reached over HTTP like the real registries.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import httpx
from benefits_shared.local_ports import free_port

CIVIL_FILE = "civil_registry.jsonl"
POPULATION_FILE = "population.jsonl"
CHANGES_FILE = "population_changes.jsonl"


def write_jsonl(path: Path, items: Iterable[Mapping[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
            count += 1
    return count


def write_dataset(
    folder: Path,
    civil: Iterable[Mapping[str, Any]] = (),
    persons: Iterable[Mapping[str, Any]] = (),
    changes: Iterable[Mapping[str, Any]] = (),
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_jsonl(folder / CIVIL_FILE, civil)
    write_jsonl(folder / POPULATION_FILE, persons)
    write_jsonl(folder / CHANGES_FILE, changes)


class LocalRegistries:
    """The simulators of a dataset folder, started on free ports; ``stop()`` ends them."""

    def __init__(self, data: Path, **env: str) -> None:
        self.civil_url = f"http://127.0.0.1:{free_port()}"
        self.population_url = f"http://127.0.0.1:{free_port()}"
        settings = {
            "REGISTRY_SIM_DATA_DIR": str(data),
            "CIVIL_SIM_PORT": self.civil_url.rsplit(":", 1)[1],
            "POPULATION_SIM_PORT": self.population_url.rsplit(":", 1)[1],
            "LOG_LEVEL": "WARNING",
            **env,
        }
        self._process = subprocess.Popen(
            [sys.executable, "-m", "registry_simulators", "both"],
            env={**os.environ, **settings},
            stdout=subprocess.DEVNULL,
        )

    def wait_until_ready(self, timeout_s: float = 120.0) -> LocalRegistries:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the registry simulators exited ({self._process.returncode})")
            try:
                for url in (self.civil_url, self.population_url):
                    httpx.get(f"{url}/_sim/health", timeout=1.0).raise_for_status()
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise TimeoutError("the registry simulators did not answer in time")

    def set_faults(self, url: str, **faults: Any) -> None:
        httpx.post(f"{url}/_sim/faults", json=faults, timeout=5.0).raise_for_status()

    def stats(self, url: str) -> dict[str, Any]:
        answer: dict[str, Any] = httpx.get(f"{url}/_sim/stats", timeout=5.0).json()
        return answer

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=15)
