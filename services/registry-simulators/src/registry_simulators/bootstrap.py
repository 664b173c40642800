"""Wires the simulators: the only reader of settings. Nothing runs at import time.

``civil_app`` and ``population_app`` are app factories (``uvicorn --factory
registry_simulators.bootstrap:civil_app``); tests call ``build_civil`` / ``build_population``
with a dataset folder, faults and, if they like, scripted dice and a fake clock.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from benefits_shared import json_logging
from benefits_shared.pin import PinHasher
from fastapi import APIRouter, FastAPI
from simulator_kit.faults import Chance, RandomChance
from simulator_kit.rate_limit import TokenBucket

from registry_simulators.adapters.feed_file import FeedFile
from registry_simulators.adapters.person_files import PersonFiles
from registry_simulators.config import (
    CivilFaultSettings,
    PopulationFaultSettings,
    SimulatorSettings,
)
from registry_simulators.entrypoints import admin_api, civil_api, http_errors, population_api
from registry_simulators.errors import DatasetError
from registry_simulators.faults import Faults, FaultSwitch
from registry_simulators.gate import FaultGate, Stats
from registry_simulators.population.generator import CHANGES, CIVIL, POPULATION, generate
from registry_simulators.population.options import GeneratorOptions


@dataclass(frozen=True, slots=True)
class Simulator:
    app: FastAPI
    faults: FaultSwitch
    stats: Stats


@dataclass(frozen=True, slots=True)
class Dice:
    """What decides faults: random chance and the clock of the rate limit."""

    chance: Chance
    monotonic: Callable[[], float] = time.monotonic


def build_civil(data: Path, index: Path, faults: Faults, dice: Dice) -> Simulator:
    feed = FeedFile(data / CIVIL, index, "civil")
    switch, stats = FaultSwitch(faults), Stats()
    gate = FaultGate(switch, dice.chance, TokenBucket(dice.monotonic), stats)
    sizes = {"records": feed.records, "skipped_lines": feed.skipped}
    routes = civil_api.router(feed, gate, stats)
    app = _app(
        "Civil registry simulator",
        routes,
        admin_api.router(switch, stats, lambda: sizes),
        feed.close,
    )
    return Simulator(app, switch, stats)


def build_population(data: Path, index: Path, faults: Faults, dice: Dice) -> Simulator:
    people = PersonFiles(data / POPULATION, data / CHANGES, index)
    changes = FeedFile(data / CHANGES, index, "population-changes")
    switch, stats = FaultSwitch(faults), Stats()
    gate = FaultGate(switch, dice.chance, TokenBucket(dice.monotonic), stats)
    sizes = {"persons": people.count, "changes": changes.records, "skipped_lines": changes.skipped}
    routes = population_api.router(people, changes, gate, stats)
    admin = admin_api.router(switch, stats, lambda: sizes)

    def close() -> None:
        people.close()
        changes.close()

    return Simulator(_app("Population registry simulator", routes, admin, close), switch, stats)


@dataclass(frozen=True, slots=True)
class Listener:
    """An app and where to serve it."""

    app: FastAPI
    host: str
    port: int


def listeners(which: str) -> list[Listener]:
    """The apps ``python -m registry_simulators`` serves (``both``, ``civil``, ``population``),
    with logging configured, after making the dataset if there is none."""
    settings = SimulatorSettings()
    hasher = PinHasher(settings.pin_hmac_key.get_secret_value())
    json_logging.configure("registry-simulators", hasher, settings.log_level)
    data, dice, host = ensure_dataset(settings), _dice(settings), settings.registry_sim_host
    chosen = []
    if which in ("both", "civil"):
        civil = build_civil(data, settings.index_dir, CivilFaultSettings().faults(), dice)
        chosen.append(Listener(civil.app, host, settings.civil_sim_port))
    if which in ("both", "population"):
        faults = PopulationFaultSettings().faults()
        population = build_population(data, settings.index_dir, faults, dice)
        chosen.append(Listener(population.app, host, settings.population_sim_port))
    return chosen


def civil_app() -> FastAPI:
    settings = SimulatorSettings()
    data = ensure_dataset(settings)
    return build_civil(data, settings.index_dir, CivilFaultSettings().faults(), _dice(settings)).app


def population_app() -> FastAPI:
    settings = SimulatorSettings()
    data = ensure_dataset(settings)
    faults = PopulationFaultSettings().faults()
    return build_population(data, settings.index_dir, faults, _dice(settings)).app


def ensure_dataset(settings: SimulatorSettings) -> Path:
    """The data folder; a dataset is written into it first when it holds none of the files."""
    data = settings.registry_sim_data_dir
    present = [name for name in (CIVIL, POPULATION, CHANGES) if (data / name).is_file()]
    if not present:
        generate(_dataset_options(settings), data)
    elif len(present) < 3:
        raise DatasetError(f"{data} holds only {', '.join(present)} of the dataset's files")
    return data


def _dataset_options(settings: SimulatorSettings) -> GeneratorOptions:
    return GeneratorOptions(
        persons=settings.registry_sim_persons,
        seed=settings.registry_sim_dataset_seed,
        start=settings.registry_sim_start,
        days=settings.registry_sim_days,
    )


def _dice(settings: SimulatorSettings) -> Dice:
    return Dice(RandomChance(settings.registry_sim_seed))


def _app(title: str, routes: APIRouter, admin: APIRouter, close: Callable[[], None]) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        close()

    app = FastAPI(title=title, lifespan=lifespan)
    app.include_router(routes)
    app.include_router(admin)
    http_errors.install(app)
    return app
