"""A change feed kept in a JSON-lines file: every line a record with a whole-number ``seq``.

Lines without one (not JSON, no ``seq``) cannot be placed in the feed and are counted as
``skipped``; the first line of a ``seq`` that occurs twice wins. A page is read straight
from the file at the offsets the index gives.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from pathlib import Path

from registry_simulators.adapters.sqlite_index import BATCH, lines, open_index, read_line, seq_of


class FeedFile:
    def __init__(self, path: Path, index_folder: Path, name: str) -> None:
        self._connection = open_index(index_folder, name, [path], lambda db: _index(db, path))
        self._fd = os.open(path, os.O_RDONLY)
        self.records, self.skipped = self._connection.execute(
            "SELECT (SELECT COUNT(*) FROM feed), (SELECT value FROM meta WHERE key='skipped')"
        ).fetchone()

    def page(self, after: int, limit: int, again: int = 0) -> list[tuple[int, bytes]]:
        """Up to ``limit`` records after ``after``, ascending; ``again`` of them at the start
        are the last records at or before ``after`` (a re-delivery), never all of them."""
        again = min(again, limit - 1)
        earlier = self._connection.execute(
            "SELECT seq, offset, length FROM feed WHERE seq <= ? ORDER BY seq DESC LIMIT ?",
            (after, again),
        ).fetchall()
        newer = self._connection.execute(
            "SELECT seq, offset, length FROM feed WHERE seq > ? ORDER BY seq LIMIT ?",
            (after, limit - len(earlier)),
        ).fetchall()
        rows = [*reversed(earlier), *newer]
        return [(seq, read_line(self._fd, offset, length)) for seq, offset, length in rows]

    def close(self) -> None:
        self._connection.close()
        os.close(self._fd)


def _index(db: sqlite3.Connection, path: Path) -> None:
    db.execute("CREATE TABLE feed (seq INTEGER PRIMARY KEY, offset INTEGER, length INTEGER)")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER)")
    skipped = 0
    rows = ((seq_of(text), offset, length) for offset, length, text in lines(path))
    while batch := list(itertools.islice(rows, BATCH)):
        good = [row for row in batch if row[0] is not None]
        skipped += len(batch) - len(good)
        db.executemany("INSERT OR IGNORE INTO feed VALUES (?, ?, ?)", good)
    db.execute("INSERT INTO meta VALUES ('skipped', ?)", (skipped,))
