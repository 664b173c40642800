"""Dropping the commission's files into a folder over time, the way the commission does.

The uploads listed in ``mse_drops.jsonl`` are replayed in order, ``interval`` seconds apart:
each file is written whole under ``<drop>/.staging/`` and then renamed into ``<drop>``
(same file system, so it appears at once and never half-written). A re-upload replaces the
file of the same name with the same bytes; a correction arrives as ``_2`` (or ``_3``). A
reader should take only names of the form ``mse_YYYYMMDD.csv`` / ``mse_YYYYMMDD_N.csv``.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from registry_simulators.population.generator import MSE_DROPS, MSE_FOLDER

STAGING = ".staging"


def planned_uploads(dataset: Path) -> Iterator[str]:
    """The file names of the dataset's uploads, in upload order (repeats included)."""
    with (dataset / MSE_DROPS).open(encoding="utf-8") as plan:
        for line in plan:
            yield json.loads(line)["file"]


def drop_one(source: Path, drop_dir: Path) -> Path:
    """Write ``source`` aside, then rename it into ``drop_dir`` under its own name."""
    staging = drop_dir / STAGING
    staging.mkdir(parents=True, exist_ok=True)
    part = staging / f"{source.name}.part"
    with source.open("rb") as src, part.open("wb") as dst:
        shutil.copyfileobj(src, dst)
        dst.flush()
        os.fsync(dst.fileno())
    target = drop_dir / source.name
    os.replace(part, target)
    return target


def drop_all(
    dataset: Path,
    drop_dir: Path,
    interval: float,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Replay every upload of ``dataset`` into ``drop_dir``; returns how many were made."""
    made = 0
    for name in planned_uploads(dataset):
        if made:
            sleep(interval)
        drop_one(dataset / MSE_FOLDER / name, drop_dir)
        made += 1
    return made
