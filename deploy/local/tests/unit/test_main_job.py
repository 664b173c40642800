"""What the main job starts and what its summary says, from its settings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from devstack.components import SERVICES, Dataset, plan
from devstack.demo import needs_dataset, notifier_now
from devstack.layout import Layout
from devstack.reconcile import Summary

DATA = Dataset(persons=100, seed=3, start=date(2025, 11, 1), days=30)
REGISTRIES = ("CIVIL_REGISTRY_URL", "POPULATION_REGISTRY_URL", "MSE_DROP_DIR")


@pytest.fixture(autouse=True)
def no_endpoint_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in (*REGISTRIES, "BANK_API_URL", "SMS_GATEWAY_URL", "RUN_WITHOUT", "RUN_REPLICAS"):
        monkeypatch.delenv(variable, raising=False)


def test_no_dataset_is_generated_when_every_registry_is_external(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CIVIL_REGISTRY_URL", "https://civil.example")
    monkeypatch.setenv("POPULATION_REGISTRY_URL", "https://population.example")
    monkeypatch.setenv("MSE_DROP_DIR", str(tmp_path / "drop"))
    assert not needs_dataset(plan(Layout(tmp_path), DATA))


@pytest.mark.parametrize("simulated", REGISTRIES)
def test_a_dataset_is_generated_when_one_registry_is_simulated(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, simulated: str
) -> None:
    for variable in REGISTRIES:
        if variable != simulated:
            monkeypatch.setenv(variable, str(tmp_path / "external"))
    assert needs_dataset(plan(Layout(tmp_path), DATA))


def test_the_summary_shows_the_notices_held_for_quiet_hours() -> None:
    line = Summary(not_handed_over=12, quiet_hours=True).waiting_notices_line()
    assert line == "notices held for quiet hours (22:00–09:00 Baku) 12: they leave at 09:00"


def test_the_summary_shows_notices_waiting_in_the_day_and_nothing_when_none_wait() -> None:
    line = Summary(not_handed_over=3, quiet_hours=False).waiting_notices_line()
    assert line == "notices not handed over yet 3 (waiting for an account or a retry)"
    assert Summary(not_handed_over=0, quiet_hours=False).waiting_notices_line() is None
    assert Summary(not_handed_over=None, quiet_hours=False).waiting_notices_line() is None


def test_the_notifier_clock_is_pinned_like_the_notifier_pins_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NOTIFIER_FIXED_TIME", "2026-03-02T23:30")
    assert notifier_now().isoformat() == "2026-03-02T23:30:00+04:00"
    monkeypatch.setenv("NOTIFIER_FIXED_TIME", "2026-03-02T10:00:00+00:00")
    assert notifier_now() == datetime(2026, 3, 2, 10, tzinfo=UTC)
    # The drain asks with the notifier's own environment, not ours (e2e: noon at any hour).
    assert notifier_now({"NOTIFIER_FIXED_TIME": "2026-11-23T12:00"}).hour == 12
    assert notifier_now({}) != datetime(2026, 3, 2, 10, tzinfo=UTC)  # unpinned: now


def test_run_replicas_starts_every_service_that_many_times_each_on_ports_of_its_own(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RUN_REPLICAS", "2")
    services = [c for c in plan(Layout(tmp_path), DATA).components if not c.simulator]
    assert sorted(c.name for c in services) == sorted(
        [*SERVICES, *(f"{name}-2" for name in SERVICES)]
    )
    for name in SERVICES:
        first, second = (c for c in services if c.of(name))
        assert (first.name, second.name, second.service) == (name, f"{name}-2", name)
        assert second.module == first.module
        ports = {k for k in first.env if k.endswith("_PORT")}
        assert all(int(second.env[k]) == int(first.env[k]) + 1 for k in ports)
        same = {k: v for k, v in first.env.items() if k not in ports}
        assert {k: second.env[k] for k in same} == same  # one group, one schema, one topic


def test_run_without_leaves_out_every_instance_of_a_service(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RUN_WITHOUT", "engine")
    names = {c.name for c in plan(Layout(tmp_path), DATA, replicas=3).components}
    assert not names & {"engine", "engine-2", "engine-3"}
    assert {"notifier", "notifier-2", "notifier-3"} <= names
