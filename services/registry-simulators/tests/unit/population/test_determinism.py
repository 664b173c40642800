"""The same options give the same files, byte for byte; another seed gives other people."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from registry_simulators.population.generator import generate
from registry_simulators.population.options import GeneratorOptions

OPTIONS = GeneratorOptions(persons=3_000, seed=42, start=date(2026, 1, 1), days=200)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_the_same_seed_gives_the_same_files_byte_for_byte_whatever_the_sort_chunks(tmp_path):
    generate(OPTIONS, tmp_path / "one", chunk_lines=100_000)
    generate(OPTIONS, tmp_path / "two", chunk_lines=97)  # many sort runs to merge
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert set(one) >= {
        "population.jsonl",
        "population_changes.jsonl",
        "civil_registry.jsonl",
        "truth.jsonl",
        "mse_drops.jsonl",
        "manifest.json",
    }
    assert one == two


def test_another_seed_gives_other_people(tmp_path):
    generate(OPTIONS, tmp_path / "one")
    other = GeneratorOptions(persons=3_000, seed=43, start=date(2026, 1, 1), days=200)
    generate(other, tmp_path / "two")
    first = (tmp_path / "one" / "population.jsonl").read_text().splitlines()
    second = (tmp_path / "two" / "population.jsonl").read_text().splitlines()
    assert len(first) == len(second) == 3_000
    assert not set(first) & set(second)


def test_writing_again_into_the_same_folder_leaves_no_stale_mse_file(tmp_path):
    generate(OPTIONS, tmp_path)
    (tmp_path / "mse" / "mse_19990101.csv").write_bytes(b"stale")
    generate(OPTIONS, tmp_path)
    assert not (tmp_path / "mse" / "mse_19990101.csv").exists()


@pytest.mark.parametrize("persons", [1, 2, 3, 7, 300, 1001])
def test_the_population_has_exactly_the_persons_asked_for_whatever_the_number(tmp_path, persons):
    generate(
        GeneratorOptions(persons=persons, seed=persons, start=date(2026, 1, 1), days=30), tmp_path
    )
    lines = (tmp_path / "population.jsonl").read_text().splitlines()
    assert len(lines) == len({json.loads(line)["pin"] for line in lines}) == persons
