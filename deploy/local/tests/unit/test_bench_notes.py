"""The report's notes: the end-to-end run's CPU per birth, largest first, and the share of
the machine; the machine's speed before each part."""

from __future__ import annotations

import os
from pathlib import Path

from devstack.bench.measure import loopback_speed, machine_speed, memory_speed
from devstack.bench.run import Report, _write, cpu_note, memory_note


def test_cpu_per_birth_largest_first_and_the_share_of_the_machine() -> None:
    cores = os.cpu_count() or 1
    note = cpu_note({"engine": 10.0, "notifier": 30.0}, births=1000, run_s=40.0, replicas=1)
    assert "notifier 30.0, engine 10.0" in note
    assert "40.0 ms in all" in note
    assert f"{40 / (cores * 40):.0%} of the machine's {cores} cores" in note


def test_the_report_states_the_machines_speed_before_each_part(tmp_path: Path) -> None:
    r = Report()
    r.extra["machine_speed"] = {
        "engine": {"python": 170_000.0, "loopback": 300_000.0, "memory": 12_300_000.0},
        "e2e": {"python": 85_000.0, "loopback": 150_000.0, "memory": 6_000_000.0},
    }
    written = _write(tmp_path, r, left=[]).read_text()
    assert "the machine's speed before each part" in written
    assert "engine 170,000 / 300,000 / 12.3M, e2e 85,000 / 150,000 / 6.0M" in written


def test_a_report_from_before_the_three_yardsticks_still_renders(tmp_path: Path) -> None:
    r = Report()
    r.extra["machine_speed"] = {"engine": 170_000.0, "e2e": 85_000.0}
    assert "engine 170,000, e2e 85,000" in _write(tmp_path, r, left=[]).read_text()


def test_each_yardstick_is_a_rate() -> None:
    assert machine_speed(seconds=0.05) > 0
    assert loopback_speed(seconds=0.05) > 0
    assert memory_speed(seconds=0.05, megabytes=1) > 0


def test_the_engines_memory_at_each_quarter_of_the_events() -> None:
    engine = {
        "events": 35_013,
        "decisions": 25_013,
        "engine_startup_s": 1.8,
        "engine_peaks_mb": [120.2, 128.4, 160.0, 188.6],
        "replay_peaks_mb": [129.0, 129.4, 129.4, 129.6],
    }
    note = memory_note(engine)
    assert "all of the 35,013 events were in: 120 / 128 / 160 / 189 MB" in note
    assert "(replay 129 / 129 / 129 / 130 MB); 25,013 decisions" in note
