"""Timing, throughput and peak memory of a process, for the benchmarks."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import psutil


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


class PeakMemory:
    """Samples a process's resident memory (children included) until stopped."""

    def __init__(self, pid: int) -> None:
        self._proc = psutil.Process(pid)
        self.peak_mb = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._sample())

    async def _sample(self) -> None:
        while True:
            try:
                procs = [self._proc, *self._proc.children(recursive=True)]
                rss = sum(p.memory_info().rss for p in procs)
            except psutil.Error:
                return
            self.peak_mb = max(self.peak_mb, rss / 2**20)
            await asyncio.sleep(0.2)

    def stop(self) -> None:
        if self._task:
            self._task.cancel()


async def wait_until(done: Callable[[], Awaitable[bool]], timeout_s: float, label: str) -> float:
    """Seconds until ``done()`` is true, polling; shows a live counter."""
    started = time.monotonic()
    while not await done():
        elapsed = time.monotonic() - started
        if elapsed > timeout_s:
            raise TimeoutError(f"{label}: not done after {timeout_s:.0f}s")
        print(f"\r  {label}: {elapsed:5.1f}s", end="", flush=True)
        await asyncio.sleep(0.1)
    elapsed = time.monotonic() - started
    print(f"\r  {label}: {elapsed:5.1f}s", flush=True)
    return elapsed
