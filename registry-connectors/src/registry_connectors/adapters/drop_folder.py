"""The MSE drop folder on local disk (in production an S3-compatible bucket behind the
same two methods). A file appears whole (renamed in), so what is listed can be read."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path


class LocalDropFolder:
    def __init__(self, path: Path) -> None:
        self._path = path

    async def listing(self) -> dict[str, str]:
        """Name → ``size:mtime_ns`` of every file (a renamed-in file is whole)."""
        return await asyncio.to_thread(self._listing)

    async def read(self, name: str) -> bytes:
        return await asyncio.to_thread((self._path / name).read_bytes)

    def _listing(self) -> dict[str, str]:
        found = {}
        for entry in os.scandir(self._path):
            if entry.is_file():
                stat = entry.stat()
                found[entry.name] = f"{stat.st_size}:{stat.st_mtime_ns}"
        return found
