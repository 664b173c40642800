"""An offset index of JSON-lines files in sqlite on disk, built once per version of the data.

The files stay the truth and are read with ``pread`` at the offsets the index gives; the
index holds three or four numbers a line, on disk, so a million records cost a few tens of
megabytes of disk and next to no memory. The index file is named by a fingerprint of the
sources (path, size, modification time): a restart on the same data reuses it, changed data
gets a new one, and an older index of the same name is removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from registry_simulators.errors import DatasetError

Line = tuple[int, int, bytes]  # offset, length (without the newline), text
_SEQ = re.compile(rb'\{"seq": ?(\d+)[,}]')
_PIN = re.compile(rb'\{"pin": ?"([^"\\]*)"')
BATCH = 10_000


def open_index(
    folder: Path, name: str, sources: list[Path], build: Callable[[sqlite3.Connection], None]
) -> sqlite3.Connection:
    """The index of ``sources`` (built by ``build`` if there is none yet), opened read-only."""
    for source in sources:
        if not source.is_file():
            raise DatasetError(f"missing data file: {source}")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{_fingerprint(sources)}.sqlite"
    if not path.exists():
        for stale in folder.glob(f"{name}-*.sqlite"):
            stale.unlink(missing_ok=True)
        _build(path, build)
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


def lines(path: Path) -> Iterator[Line]:
    """Every non-empty line of a file with its offset and length."""
    offset = 0
    with path.open("rb") as source:
        for raw in source:
            text = raw.rstrip(b"\r\n")
            if text.strip():
                yield offset, len(text), text
            offset += len(raw)


def seq_of(text: bytes) -> int | None:
    """The ``seq`` of a record; None when the line has no whole-number ``seq``."""
    if match := _SEQ.match(text):
        return int(match.group(1))
    value = _field(text, "seq")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def pin_of(text: bytes) -> str | None:
    if match := _PIN.match(text):
        return match.group(1).decode()
    value = _field(text, "pin")
    return value if isinstance(value, str) else None


def read_line(fd: int, offset: int, length: int) -> bytes:
    return os.pread(fd, length, offset)


def _field(text: bytes, name: str) -> object:
    try:
        record = json.loads(text)
    except ValueError:
        return None
    return record.get(name) if isinstance(record, dict) else None


def _fingerprint(sources: list[Path]) -> str:
    digest = hashlib.sha256()
    for source in sources:
        stat = source.stat()
        digest.update(f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _build(path: Path, build: Callable[[sqlite3.Connection], None]) -> None:
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    connection = sqlite3.connect(partial)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        build(connection)
        connection.commit()
    finally:
        connection.close()
    os.replace(partial, path)
