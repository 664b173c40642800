"""A short ``make chaos`` in ``make test``: three rounds on a stack of its own (every kind of
fault in every round, every network and partner mode at least once), then every check.
Fewer persons than ``make run`` (``CHAOS_PERSONS``), so that it ends in minutes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from devstack import postgres
from devstack.chaos.faults import KINDS
from devstack.layout import Layout

pytestmark = [pytest.mark.integration, pytest.mark.timeout(1800)]


ROOT = Path(__file__).resolve().parents[2]
#: What would point the run at the shared stack or at external partners.
UNSET = (
    "KAFKA_BOOTSTRAP_SERVERS",
    "DATABASE_URL",
    "CIVIL_REGISTRY_URL",
    "POPULATION_REGISTRY_URL",
    "MSE_DROP_DIR",
    "BANK_API_URL",
    "SMS_GATEWAY_URL",
    "RUN_WITHOUT",
)


def test_three_rounds_of_every_fault_lose_nothing_and_do_nothing_twice(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env |= {
        "CHAOS_ROUNDS": "3",
        "CHAOS_PERSONS": os.environ.get("CHAOS_TEST_PERSONS", "1500"),
        "CHAOS_STATE_DIR": str(tmp_path / "chaos"),
    }
    run = subprocess.run(
        [sys.executable, "-m", "devstack.cli", "chaos"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1700,
        check=False,
    )
    _remove_database(tmp_path / "chaos")
    print(run.stderr[-5000:])
    print(run.stdout)
    table = run.stdout
    failed = [row for row in table.splitlines() if "| **NO** |" in row]
    assert failed == []  # every check of the data, and every process rode out every fault
    assert "every registry record is one event or quarantined | yes" in table  # ran
    rounds = [r for r in table.splitlines() if r.startswith(("| 1 |", "| 2 |", "| 3 |"))]
    assert len(rounds) == 3
    for row in rounds:  # every kind of fault in every round
        assert all(cell.strip() for cell in row.strip("| ").split(" | ")[1 : len(KINDS) + 1])
    for mode in ("latency", "stalled", "cut", "outage", "timeout-after-work"):
        assert mode in table, mode
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    assert "EVERY CHECK HOLDS" in table


def _remove_database(state: Path) -> None:
    """A failed run keeps its data for a look; PostgreSQL's may live outside ``tmp_path``
    (``devstack.postgres``): remove it."""
    postgres.remove(Layout(ROOT, state))
