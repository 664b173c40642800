"""``make chaos``'s tables: a row per round with every kind of fault, every check with its
verdict, and a verdict that holds only when every check does."""

from __future__ import annotations

from devstack.chaos.faults import KINDS, Injected
from devstack.chaos.report import report
from devstack.reconcile import Check

FAULTS = [Injected(1, kind, f"target-{kind}", 10.0 * i, 1.5) for i, kind in enumerate(KINDS)]


def test_a_round_is_a_row_with_a_cell_per_kind_of_fault() -> None:
    text = report(FAULTS, [Check("ok", True, "fine")], 600, 7)
    row = next(line for line in text.splitlines() if line.startswith("| 1 |"))
    assert row.count("|") == len(KINDS) + 2
    assert "target-kill-broker at 10 s, 1.5 s" in row
    assert "seed 7" in text
    assert "EVERY CHECK HOLDS" in text


def test_one_failed_check_or_none_run_is_not_held() -> None:
    failed = report(FAULTS, [Check("ok", True, ""), Check("lost", False, "3 missing")], 60, 7)
    assert "NOT HELD" in failed
    assert "| lost | **NO** | 3 missing |" in failed
    assert "NOT HELD" in report(FAULTS, [], 60, 7)
