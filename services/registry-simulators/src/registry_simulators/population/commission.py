"""The commission's daily files and when it uploads them.

One file per weekday of the period, header-only when nothing was decided that day. A file
sometimes carries damaged rows; then a corrected ``_2`` (rarely a ``_3``) follows, repeating
the good rows and fixing the bad ones. Sometimes the day's first upload is empty but for its
header and the rows come in ``_2``. Sometimes a file is uploaded twice under the same name.
The uploads are listed, in time order, in ``mse_drops.jsonl`` for the drop-folder writer.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from benefits_shared.clock import BAKU

from registry_simulators.population import mse_format
from registry_simulators.population.events import next_weekday
from registry_simulators.population.malformation import damage_row
from registry_simulators.population.options import GeneratorOptions
from registry_simulators.population.truth import Truth, json_line

_MAX_VERSION = 3
_STILL_BAD_SHARE = 0.2


class Commission:
    def __init__(
        self, folder: Path, options: GeneratorOptions, rng: random.Random, truth: Truth
    ) -> None:
        self._folder = folder
        self._day = next_weekday(options.start)
        self._end = options.end
        self._mess = options.mess
        self._rng = rng
        self._truth = truth
        self._rows: list[dict[str, Any]] = []
        self.uploads: list[tuple[datetime, str]] = []
        folder.mkdir(parents=True, exist_ok=True)

    def add(self, row: dict[str, Any]) -> None:
        """A decided row (ISO dates, numbered); rows arrive in the order of ``issued_at``."""
        self.advance_to(date.fromisoformat(row["issued_at"]))
        self._rows.append(row)

    def advance_to(self, day: date) -> None:
        """Write the files of every weekday before ``day``."""
        while self._day < min(day, self._end):
            self._write_day(self._day, self._rows)
            self._rows = []
            self._day = next_weekday(self._day + timedelta(days=1))

    def close(self, drops: Path) -> None:
        self.advance_to(self._end)
        with drops.open("w", encoding="utf-8", newline="\n") as out:
            for at, name in sorted(self.uploads):
                out.write(json_line({"at": at.isoformat(), "file": name}))

    def _write_day(self, day: date, rows: list[dict[str, Any]]) -> None:
        if rows and self._rng.random() < self._mess.mse_empty_file_rate:
            self._write_file(day, 1, [], [])  # the rows come in _2
            self._write_file(day, 2, rows, [False] * len(rows))
            return
        bad = [self._rng.random() < self._mess.mse_bad_row_rate for _ in rows]
        version = 1
        self._write_file(day, version, rows, bad)
        while any(bad) and version < _MAX_VERSION and self._corrects():
            version += 1
            bad = [damaged and self._rng.random() < _STILL_BAD_SHARE for damaged in bad]
            self._write_file(day, version, rows, bad)

    def _corrects(self) -> bool:
        return self._rng.random() < self._mess.mse_correction_rate

    def _write_file(
        self, day: date, version: int, rows: list[dict[str, Any]], bad: list[bool]
    ) -> None:
        name = mse_format.file_name(day, version)
        lines = []
        for line, (row, damaged) in enumerate(zip(rows, bad, strict=True), start=2):
            fields, defect = mse_format.row_fields(row), None
            if damaged:
                fields, defect = damage_row(self._rng, fields)
            lines.append(fields)
            self._truth.mse_row(name, line, row, defect)
        (self._folder / name).write_bytes(mse_format.render(lines))
        self._truth.mse_file(name, version, len(lines))
        self._schedule(day, version, name)

    def _schedule(self, day: date, version: int, name: str) -> None:
        """Day files go up in the evening; corrections on a following working day."""
        upload_day = day if version == 1 else next_weekday(day + timedelta(days=version - 1))
        at = datetime.combine(upload_day, time(17 + version % 2, self._rng.randrange(60)), BAKU)
        self.uploads.append((at, name))
        if self._rng.random() < self._mess.mse_reupload_rate:
            self.uploads.append((at + timedelta(minutes=self._rng.randint(10, 240)), name))
            self._truth.count("mse.reuploads")
