"""The end-to-end run's CPU note: per birth, largest first, and the share of the machine."""

from __future__ import annotations

import os

from devstack.bench.run import cpu_note


def test_cpu_per_birth_largest_first_and_the_share_of_the_machine() -> None:
    cores = os.cpu_count() or 1
    note = cpu_note({"engine": 10.0, "notifier": 30.0}, births=1000, run_s=40.0, replicas=1)
    assert "notifier 30.0, engine 10.0" in note
    assert "40.0 ms in all" in note
    assert f"{40 / (cores * 40):.0%} of the machine's {cores} cores" in note
