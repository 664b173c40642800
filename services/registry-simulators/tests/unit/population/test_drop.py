"""The drop-folder writer: files appear whole, in upload order, re-uploads included."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from registry_simulators.population import drop
from registry_simulators.population.generator import generate
from registry_simulators.population.options import GeneratorOptions, Messiness

OPTIONS = GeneratorOptions(
    persons=2_000,
    seed=5,
    start=date(2026, 2, 1),
    days=60,
    mess=Messiness(mse_reupload_rate=0.5, mse_empty_file_rate=0.3),
)


def test_every_upload_lands_whole_in_the_drop_folder_in_plan_order(tmp_path):
    generate(OPTIONS, tmp_path / "data")
    plan = [
        json.loads(line)["file"]
        for line in (tmp_path / "data" / "mse_drops.jsonl").read_text().splitlines()
    ]
    seen: list[tuple[str, ...]] = []

    def watch(seconds: float) -> None:
        assert seconds == 0.25
        seen.append(tuple(sorted(p.name for p in (tmp_path / "drop").glob("mse_*.csv"))))

    made = drop.drop_all(tmp_path / "data", tmp_path / "drop", 0.25, sleep=watch)
    assert made == len(plan) > len(set(plan))
    assert len(seen) == made - 1
    for name in set(plan):
        assert (tmp_path / "drop" / name).read_bytes() == (
            tmp_path / "data" / "mse" / name
        ).read_bytes()
    assert not list((tmp_path / "drop" / drop.STAGING).iterdir())


def test_a_file_is_renamed_in_so_a_reader_never_sees_it_half_written(tmp_path):
    source = tmp_path / "mse_20260302.csv"
    source.write_bytes(b"\xef\xbb\xbfheader\r\n")
    target = drop.drop_one(source, tmp_path / "drop")
    inode_before = target.stat().st_ino
    drop.drop_one(source, tmp_path / "drop")  # a re-upload under the same name
    assert target.read_bytes() == source.read_bytes()
    assert target.stat().st_ino != inode_before  # replaced by a rename, not rewritten in place
    assert sorted(os.listdir(tmp_path / "drop")) == [drop.STAGING, "mse_20260302.csv"]


def test_reading_the_plan_gives_names_in_upload_order(tmp_path):
    (tmp_path / "mse_drops.jsonl").write_text(
        '{"at": "2026-03-02T18:00:00+04:00", "file": "mse_20260302.csv"}\n'
        '{"at": "2026-03-02T19:00:00+04:00", "file": "mse_20260302.csv"}\n'
        '{"at": "2026-03-03T17:00:00+04:00", "file": "mse_20260302_2.csv"}\n'
    )
    assert list(drop.planned_uploads(Path(tmp_path))) == [
        "mse_20260302.csv",
        "mse_20260302.csv",
        "mse_20260302_2.csv",
    ]
