"""Settings come from the environment; the simulators make a dataset when they have none."""

from __future__ import annotations

from pathlib import Path

import pytest
from registry_simulators.bootstrap import ensure_dataset
from registry_simulators.config import (
    CivilFaultSettings,
    PopulationFaultSettings,
    SimulatorSettings,
)
from registry_simulators.errors import DatasetError


def test_each_registry_reads_its_own_faults(monkeypatch):
    monkeypatch.setenv("CIVIL_SIM_SERVER_ERROR_RATE", "0.25")
    monkeypatch.setenv("CIVIL_SIM_REDELIVERY_RATE", "0.1")
    monkeypatch.setenv("POPULATION_SIM_OUTAGE", "true")
    civil, population = CivilFaultSettings().faults(), PopulationFaultSettings().faults()
    assert (civil.server_error_rate, civil.redelivery_rate, civil.outage) == (0.25, 0.1, False)
    assert population.outage is True
    assert population.server_error_rate == 0.0


def test_the_population_registry_rate_limits_unless_told_otherwise(monkeypatch):
    assert PopulationFaultSettings().faults().rate_limit == 50.0
    assert CivilFaultSettings().faults().rate_limit == 0.0
    monkeypatch.setenv("POPULATION_SIM_RATE_LIMIT", "0")
    assert PopulationFaultSettings().faults().rate_limit == 0.0


def test_ports_and_folders_have_the_documented_defaults(monkeypatch):
    for name in ("CIVIL_SIM_PORT", "POPULATION_SIM_PORT", "REGISTRY_SIM_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    settings = SimulatorSettings()
    assert (settings.civil_sim_port, settings.population_sim_port) == (18083, 18084)
    assert settings.index_dir == Path(".state/registry-sim/.index")


def test_an_empty_data_folder_gets_a_dataset(monkeypatch, tmp_path):
    monkeypatch.setenv("REGISTRY_SIM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("REGISTRY_SIM_PERSONS", "300")
    folder = ensure_dataset(SimulatorSettings())
    assert len((folder / "population.jsonl").read_text().splitlines()) == 300
    assert (folder / "civil_registry.jsonl").stat().st_size > 0


def test_a_data_folder_missing_some_files_is_an_error_not_overwritten(monkeypatch, tmp_path):
    (tmp_path / "civil_registry.jsonl").write_text('{"seq": 1}\n')
    monkeypatch.setenv("REGISTRY_SIM_DATA_DIR", str(tmp_path))
    with pytest.raises(DatasetError):
        ensure_dataset(SimulatorSettings())
    assert (tmp_path / "civil_registry.jsonl").read_text() == '{"seq": 1}\n'
