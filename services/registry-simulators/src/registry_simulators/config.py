"""Settings of the registry simulators, from the environment.

| variable | default | what |
| --- | --- | --- |
| ``REGISTRY_SIM_HOST`` | ``127.0.0.1`` | address both simulators bind |
| ``CIVIL_SIM_PORT`` | ``18083`` | civil-registry change feed |
| ``POPULATION_SIM_PORT`` | ``18084`` | population-registry API |
| ``REGISTRY_SIM_DATA_DIR`` | ``.state/registry-sim`` | the dataset (see the README) |
| ``REGISTRY_SIM_INDEX_DIR`` | ``<data dir>/.index`` | where the sqlite offset indexes go |
| ``REGISTRY_SIM_SEED`` | unset | seed of the fault dice, for a reproducible run |
| ``REGISTRY_SIM_PERSONS`` | ``10000`` | size of the dataset made when the data dir has none |
| ``REGISTRY_SIM_DATASET_SEED`` | ``1`` | its seed |
| ``REGISTRY_SIM_START``, ``REGISTRY_SIM_DAYS`` | ``2025-11-01``, ``365`` | its period |
| ``CIVIL_SIM_<FAULT>`` | see ``Faults`` | e.g. ``CIVIL_SIM_SERVER_ERROR_RATE=0.1`` |
| ``POPULATION_SIM_<FAULT>`` | see ``Faults``; | e.g. ``POPULATION_SIM_OUTAGE=true``; its |
| | ``RATE_LIMIT=50`` | ``RATE_LIMIT`` is 50 requests a second unless set |
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import ClassVar

from benefits_shared.settings import CommonSettings
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from registry_simulators.faults import Faults

POPULATION_RATE_LIMIT = 50.0  # "a modest request rate" (registries.md §3)


class SimulatorSettings(CommonSettings):
    SIMULATOR: ClassVar[str | None] = "registry-simulators"

    registry_sim_host: str = Field(default="127.0.0.1")
    civil_sim_port: int = Field(default=18083, ge=0, le=65535)
    population_sim_port: int = Field(default=18084, ge=0, le=65535)
    registry_sim_data_dir: Path = Field(default=Path(".state/registry-sim"))
    registry_sim_index_dir: Path | None = None
    registry_sim_seed: int | None = None
    registry_sim_persons: int = Field(default=10_000, ge=1)
    registry_sim_dataset_seed: int = 1
    registry_sim_start: date = date(2025, 11, 1)
    registry_sim_days: int = Field(default=365, ge=1)

    @property
    def index_dir(self) -> Path:
        return self.registry_sim_index_dir or self.registry_sim_data_dir / ".index"


class CivilFaultSettings(BaseSettings, Faults):
    """The civil feed's faults at start: every field of ``Faults`` as ``CIVIL_SIM_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="CIVIL_SIM_", extra="ignore", frozen=True)

    def faults(self) -> Faults:
        return Faults.model_validate(self.model_dump())


class PopulationFaultSettings(BaseSettings, Faults):
    """The population registry's faults at start, as ``POPULATION_SIM_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="POPULATION_SIM_", extra="ignore", frozen=True)

    rate_limit: float = Field(default=POPULATION_RATE_LIMIT, ge=0.0)

    def faults(self) -> Faults:
        return Faults.model_validate(self.model_dump())
