"""Putting every household's events in time order without holding them all in memory.

Lines are kept in memory up to ``chunk_lines``, sorted and written to a run file; reading
merges the runs (``heapq.merge``). Lines must sort as text in the wanted order (see
:func:`registry_simulators.population.events.sort_line`).
"""

from __future__ import annotations

import heapq
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType


class ExternalSorter:
    def __init__(self, folder: Path, chunk_lines: int = 50_000) -> None:
        self._folder = folder
        self._chunk_lines = chunk_lines
        self._lines: list[str] = []
        self._runs: list[Path] = []

    def __enter__(self) -> ExternalSorter:
        self._folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)

    def add(self, line: str) -> None:
        self._lines.append(line)
        if len(self._lines) >= self._chunk_lines:
            self._spill()

    def merged(self) -> Iterator[str]:
        """Every line added, in order; call once, after the last ``add``."""
        self._spill()
        with ExitStack() as files:
            runs = [files.enter_context(run.open(encoding="utf-8")) for run in self._runs]
            yield from heapq.merge(*runs)

    def _spill(self) -> None:
        if not self._lines:
            return
        self._lines.sort()
        run = self._folder / f"run-{len(self._runs):05d}.txt"
        with run.open("w", encoding="utf-8", newline="\n") as out:
            out.writelines(self._lines)
        self._runs.append(run)
        self._lines = []
