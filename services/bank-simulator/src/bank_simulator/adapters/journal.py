"""Journals of the bank's facts: an append-only JSON-lines file, or memory.

The file is the after-the-run record: one fact per line, ``{"kind": ..., "at": ...}``,
amounts as decimal strings. Every line is flushed when written. A torn last line (the
process killed mid-write) is cut off when the journal is opened again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from bank_simulator.events import EVENT, Event

log = logging.getLogger(__name__)


class JsonLinesJournal:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._cut_torn_tail()

    def append(self, fact: Event) -> None:
        with self.path.open("ab") as file:
            file.write(EVENT.dump_json(fact) + b"\n")
            file.flush()

    def replay(self) -> Iterator[Event]:
        if self.path.exists():
            for line in self.path.read_bytes().splitlines():
                yield EVENT.validate_json(line)

    def _cut_torn_tail(self) -> None:
        if not self.path.exists():
            return
        content = self.path.read_bytes()
        whole = content[: content.rfind(b"\n") + 1]
        if whole != content:
            log.warning("cut a torn last line off the journal", extra={"bytes": len(content)})
            self.path.write_bytes(whole)


class MemoryJournal:
    def __init__(self) -> None:
        self.facts: list[Event] = []

    def append(self, fact: Event) -> None:
        self.facts.append(fact)

    def replay(self) -> Iterator[Event]:
        yield from list(self.facts)
