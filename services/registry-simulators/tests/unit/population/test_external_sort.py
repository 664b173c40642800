"""The external sort gives back every line in order, however many runs it spilled."""

from __future__ import annotations

import random

from registry_simulators.population.external_sort import ExternalSorter


def test_lines_come_back_sorted_across_many_runs_and_the_runs_are_removed(tmp_path):
    lines = [f"{random.Random(n).randrange(10**9):012d}\t{n}\n" for n in range(5_000)]
    with ExternalSorter(tmp_path / "runs", chunk_lines=333) as sorter:
        for line in lines:
            sorter.add(line)
        assert list(sorter.merged()) == sorted(lines)
        assert len(list((tmp_path / "runs").iterdir())) == 16
    assert not (tmp_path / "runs").exists()
