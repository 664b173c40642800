"""What the main job starts and what its summary says, from its settings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from devstack.components import Dataset, plan
from devstack.demo import needs_dataset, notifier_now
from devstack.layout import Layout
from devstack.reconcile import Summary

DATA = Dataset(persons=100, seed=3, start=date(2025, 11, 1), days=30)
REGISTRIES = ("CIVIL_REGISTRY_URL", "POPULATION_REGISTRY_URL", "MSE_DROP_DIR")


@pytest.fixture(autouse=True)
def no_endpoint_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in (*REGISTRIES, "BANK_API_URL", "SMS_GATEWAY_URL", "RUN_WITHOUT"):
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
