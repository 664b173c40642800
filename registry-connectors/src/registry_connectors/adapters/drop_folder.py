"""The MSE drop folder on local disk (in production an S3-compatible bucket behind the
same two methods). A file appears whole (renamed in), so what is listed can be read; it is
read up to one byte past ``max_bytes``, so that a file too large is known without being
held in memory."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path


class LocalDropFolder:
    def __init__(self, path: Path, max_bytes: int) -> None:
        self._path = path
        self._max_bytes = max_bytes

    async def listing(self) -> dict[str, str]:
        """Name → ``size:mtime_ns`` of every file (a renamed-in file is whole)."""
        return await asyncio.to_thread(self._listing)

    async def read(self, name: str) -> bytes:
        return await asyncio.to_thread(self._read, name)

    def _read(self, name: str) -> bytes:
        with (self._path / name).open("rb") as file:
            return file.read(self._max_bytes + 1)

    def _listing(self) -> dict[str, str]:
        found = {}
        for entry in os.scandir(self._path):
            if entry.is_file():
                stat = entry.stat()
                found[entry.name] = f"{stat.st_size}:{stat.st_mtime_ns}"
        return found
