"""The population registry's persons: the snapshot file overlaid by the change feed.

``population.jsonl`` holds every person as the registry served them at the start of the
period; ``population_changes.jsonl`` holds ``{"seq", "pin", "person"}`` lines. The registry
answers with each person's latest state: the ``person`` of their highest-``seq`` change if
they have one, else their snapshot line. The index maps each PIN to that line.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from registry_simulators.adapters.sqlite_index import BATCH, lines, open_index, pin_of, read_line

SNAPSHOT, CHANGE = 0, 1
_LATEST_CHANGES = """
    INSERT OR REPLACE INTO persons
    SELECT pin, 1, offset, length FROM changes
    WHERE seq IN (SELECT MAX(seq) FROM changes GROUP BY pin)
"""


class PersonFiles:
    def __init__(self, snapshot: Path, changes: Path, index_folder: Path) -> None:
        self._connection = open_index(
            index_folder,
            "population",
            [snapshot, changes],
            lambda db: _index(db, snapshot, changes),
        )
        self._fds = {
            SNAPSHOT: os.open(snapshot, os.O_RDONLY),
            CHANGE: os.open(changes, os.O_RDONLY),
        }
        (self.count,) = self._connection.execute("SELECT COUNT(*) FROM persons").fetchone()

    def person(self, pin: str) -> bytes | None:
        found = self.people([pin])
        return found.get(pin)

    def people(self, pins: Iterable[str]) -> dict[str, bytes]:
        wanted = list(dict.fromkeys(pins))
        marks = ", ".join("?" * len(wanted))
        rows = self._connection.execute(
            f"SELECT pin, source, offset, length FROM persons WHERE pin IN ({marks})",  # noqa: S608
            wanted,
        ).fetchall()
        return {pin: self._read(source, offset, length) for pin, source, offset, length in rows}

    def listing(self, after: str, limit: int) -> list[tuple[str, bytes]]:
        rows = self._connection.execute(
            "SELECT pin, source, offset, length FROM persons WHERE pin > ? ORDER BY pin LIMIT ?",
            (after, limit),
        ).fetchall()
        return [(pin, self._read(source, offset, length)) for pin, source, offset, length in rows]

    def close(self) -> None:
        self._connection.close()
        for fd in self._fds.values():
            os.close(fd)

    def _read(self, source: int, offset: int, length: int) -> bytes:
        text = read_line(self._fds[source], offset, length)
        if source == SNAPSHOT:
            return text
        return json.dumps(json.loads(text)["person"], ensure_ascii=False).encode()


def _index(db: sqlite3.Connection, snapshot: Path, changes: Path) -> None:
    db.execute(
        "CREATE TABLE persons (pin TEXT PRIMARY KEY, source INTEGER, offset INTEGER,"
        " length INTEGER) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE changes (seq INTEGER PRIMARY KEY, pin TEXT, offset INTEGER, length INTEGER)"
    )
    people = ((pin_of(text), SNAPSHOT, offset, length) for offset, length, text in lines(snapshot))
    _insert(db, "INSERT OR REPLACE INTO persons VALUES (?, ?, ?, ?)", people)
    _insert(db, "INSERT OR IGNORE INTO changes VALUES (?, ?, ?, ?)", _changes(changes))
    db.execute(_LATEST_CHANGES)
    db.execute("DROP TABLE changes")


def _changes(path: Path) -> Iterable[tuple[object, object, int, int]]:
    for offset, length, text in lines(path):
        try:
            change = json.loads(text)
        except ValueError:
            continue
        if isinstance(change, dict) and isinstance(change.get("person"), dict):
            yield change.get("seq"), change.get("pin"), offset, length


def _insert(db: sqlite3.Connection, sql: str, rows: Iterable[tuple[object, ...]]) -> None:
    complete = (row for row in rows if row[0] is not None and row[1] is not None)
    iterator = iter(complete)
    while batch := list(itertools.islice(iterator, BATCH)):
        db.executemany(sql, batch)
