"""A generated dataset, shared by the generator's tests, and small hand-written ones."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from registry_simulators.bootstrap import Dice, Simulator
from registry_simulators.population.generator import generate
from registry_simulators.population.options import GeneratorOptions, Messiness
from simulator_kit.faults import RandomChance

# rates well above the defaults, so a small population shows every kind of mess
MESSY = Messiness(
    redelivery_rate=0.03,
    seq_gap_rate=0.05,
    malformed_rate=0.03,
    cancellation_rate=0.03,
    correction_rate=0.03,
    mse_reupload_rate=0.2,
    mse_bad_row_rate=0.05,
    mse_correction_rate=0.8,
    mse_empty_file_rate=0.1,
)
OPTIONS = GeneratorOptions(persons=20_000, seed=11, start=date(2025, 11, 1), days=365, mess=MESSY)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


@dataclass(frozen=True)
class Dataset:
    folder: Path
    manifest: dict[str, Any]
    persons: list[dict[str, Any]]
    changes: list[dict[str, Any]]
    civil: list[dict[str, Any]]
    truth: list[dict[str, Any]]

    @property
    def mse(self) -> Path:
        return self.folder / "mse"

    def truth_of(self, source: str) -> list[dict[str, Any]]:
        return [t for t in self.truth if t["source"] == source]

    def valid_civil(self, kind: str) -> list[dict[str, Any]]:
        """The valid records of ``kind``, each once (not the re-deliveries)."""
        truth = self.truth_of("civil")
        valid = {t["seq"] for t in truth if t["valid"] and t["redelivery_of"] is None}
        return [r for r in self.civil if r["seq"] in valid and r["kind"] == kind]


@pytest.fixture(scope="session")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    folder = tmp_path_factory.mktemp("dataset")
    manifest = generate(OPTIONS, folder, chunk_lines=5_000)
    return Dataset(
        folder,
        manifest,
        read_jsonl(folder / "population.jsonl"),
        read_jsonl(folder / "population_changes.jsonl"),
        read_jsonl(folder / "civil_registry.jsonl"),
        read_jsonl(folder / "truth.jsonl"),
    )


@dataclass
class Ticker:
    """A monotonic clock that moves only when a test moves it."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticker() -> Ticker:
    return Ticker()


@pytest.fixture
def dice(ticker: Ticker) -> Dice:
    """Fault dice: rates of 0 and 1 make every fault certain or impossible."""
    return Dice(RandomChance(5), ticker)


@pytest.fixture
def client_of() -> Callable[[Simulator], AbstractAsyncContextManager[httpx.AsyncClient]]:
    """Open an ``httpx`` client on a simulator's ASGI app."""
    return _client_of


@asynccontextmanager
async def _client_of(simulator: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=simulator.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://registry.test") as client:
        yield client
