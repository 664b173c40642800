"""How devstack speaks (style.md 14): results on stdout, progress on stderr.

On a terminal, progress is rich's: bars for downloads, generation and benchmarks, a live
table for the main job. Anywhere else (a CI log, a test's captured output) it is plain
lines, at most one every ``PLAIN_EVERY_S`` seconds besides the first and the last, with
no control characters. Nothing here ever asks a question.
"""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.live import Live
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

#: Seconds between two plain progress lines.
PLAIN_EVERY_S = 10.0

err = Console(stderr=True, highlight=False)


def say(message: str) -> None:
    """A line of progress or a notice, on stderr."""
    err.print(message, markup=False, soft_wrap=True)


class _Plain:
    """Plain lines, rate-limited: the first at once, then one every ``PLAIN_EVERY_S``."""

    def __init__(self) -> None:
        self._last = float("-inf")

    def maybe(self, line: str) -> None:
        if time.monotonic() - self._last >= PLAIN_EVERY_S:
            self.now(line)

    def now(self, line: str) -> None:
        self._last = time.monotonic()
        say(line)


class Steps:
    """Progress of one task over ``total`` steps (None: not known, e.g. a download of
    however many files, or a generation that does not say how far it is)."""

    def __init__(self, description: str, total: int | None = None) -> None:
        self.description, self.total, self.done = description, total, 0
        self._started = time.monotonic()
        self._plain = _Plain()
        self._bar: Progress | None = None
        self._task = TaskID(0)

    def __enter__(self) -> Steps:
        if err.is_terminal:
            self._bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.description, total=self.total)
        else:
            self._plain.now(f"{self.description}…")
        return self

    def advance(self, note: str = "", by: int = 1) -> None:
        """``by`` more steps done; ``note`` says what is going on now."""
        self.done += by
        self.note(note)

    def note(self, note: str) -> None:
        text = f"{self.description} {note}".rstrip()
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, description=text)
            return
        of = f"/{self.total}" if self.total is not None else ""
        self._plain.maybe(f"{self.description}: {self.done}{of} {note}".rstrip())

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif kind is None:
            self._plain.now(f"{self.description}: done in {time.monotonic() - self._started:.0f} s")


class Board:
    """The main job's live figures: a table on a terminal; elsewhere a plain line now and
    then, and the last figures when it closes."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.figures: dict[str, str] = {}
        self._plain = _Plain()
        self._live: Live | None = None

    def __enter__(self) -> Board:
        if err.is_terminal:
            self._live = Live(self._table(), console=err, refresh_per_second=2)
            self._live.start()
        return self

    def show(self, figures: dict[str, str]) -> None:
        self.figures = figures
        if self._live is not None:
            self._live.update(self._table())
        else:
            self._plain.maybe(self.line())

    def line(self) -> str:
        return " · ".join(f"{name} {value}" for name, value in self.figures.items())

    def _table(self) -> Table:
        table = Table(title=self.title, show_header=False)
        table.add_column(justify="left")
        table.add_column(justify="right")
        for name, value in self.figures.items():
            table.add_row(name, value)
        return table

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._live is not None:
            self._live.stop()
        elif self.figures:
            self._plain.now(self.line())
