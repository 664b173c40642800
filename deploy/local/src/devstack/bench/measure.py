"""Timing, throughput and peak memory of a process, for the benchmarks."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import random
import socket
import sys
import time
from array import array
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal

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
    """Samples a process's resident memory (children included) until stopped, and the CPU
    time it used meanwhile (where a run's time goes, process by process)."""

    def __init__(self, pid: int) -> None:
        self._proc = psutil.Process(pid)
        self.peak_mb = 0.0
        self.cpu_s = 0.0
        self._cpu_before = 0.0
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def of_command(cls, *words: str) -> PeakMemory | None:
        """The oldest process whose command line has every one of ``words`` (the stack's
        Kafka or PostgreSQL), counted from now on; None when there is none."""
        found = [
            p
            for p in psutil.process_iter(["cmdline", "create_time"])
            if all(any(w in part for part in p.info["cmdline"] or ()) for w in words)
        ]
        if not found:
            return None
        sampler = cls(min(found, key=lambda p: p.info["create_time"]).pid)
        sampler._cpu_before = sampler._rss_and_cpu()[1]
        return sampler

    def start(self) -> None:
        self._task = asyncio.create_task(self._sample())

    def _rss_and_cpu(self) -> tuple[int, float]:
        """Of the process and its children (PostgreSQL's backends come and go: those that
        ended count in their parent's ``children_*`` times)."""
        rss, cpu = self._proc.memory_info().rss, sum(self._proc.cpu_times()[:4])
        for child in self._proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                rss, cpu = rss + child.memory_info().rss, cpu + sum(child.cpu_times()[:2])
        return rss, cpu

    async def _sample(self) -> None:
        while True:
            try:
                rss, cpu = self._rss_and_cpu()
            except psutil.Error:
                return
            self.peak_mb = max(self.peak_mb, rss / 2**20)
            self.cpu_s = max(self.cpu_s, cpu - self._cpu_before)
            await asyncio.sleep(0.2)

    def stop(self) -> None:
        if self._task:
            self._task.cancel()


async def wait_until(
    done: Callable[[], Awaitable[bool]], timeout_s: float, label: str, every_s: float = 0.1
) -> float:
    """Seconds until ``done()`` is true, polling every ``every_s`` or every hundredth of
    the time so far, whichever is longer (a poll is a query on the machine being
    measured: over a long run it costs less, and the figure is still within 1 %); shows a
    live counter (on a terminal, one line rewritten; elsewhere, a line every 10 s)."""
    started, shown = time.monotonic(), 0.0
    terminal = sys.stdout.isatty()
    while not await done():
        elapsed = time.monotonic() - started
        if elapsed > timeout_s:
            raise TimeoutError(f"{label}: not done after {timeout_s:.0f}s")
        if terminal:
            print(f"\r  {label}: {elapsed:5.1f}s", end="", flush=True)
        elif elapsed - shown >= 10:
            print(f"  {label}: {elapsed:5.1f}s", flush=True)
            shown = elapsed
        await asyncio.sleep(max(every_s, elapsed / 100))
    elapsed = time.monotonic() - started
    print(f"\r  {label}: {elapsed:5.1f}s", flush=True)
    return elapsed


def machine_speed(seconds: float = 1.0) -> float:
    """The machine's speed of the moment on one core: rounds per second of a fixed
    pure-Python workload of the kind the services do (JSON round trips, Decimal sums,
    a SHA-256), for ``seconds``. Its only use is to compare runs: this machine's speed
    drifts during a day by up to twice, and a rate means little without it."""
    record = {"pin": "AB12CD3", "amount": "250.00", "on": "2026-03-02", "kind": "B1"}
    rounds, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        for _ in range(100):
            decoded = json.loads(json.dumps(record))
            total = sum((Decimal(decoded["amount"]) for _ in range(8)), Decimal(0))
            hashlib.sha256(str(total).encode()).digest()
        rounds += 100
    return rounds / elapsed


def loopback_speed(seconds: float = 1.0) -> float:
    """Round trips per second of 64 bytes over a TCP connection on 127.0.0.1, both ends in
    one thread: system calls and the kernel's network stack, which every service, Kafka
    and PostgreSQL lean on and ``machine_speed`` never touches."""
    with (
        socket.create_server(("127.0.0.1", 0)) as server,
        socket.create_connection(server.getsockname()) as near,
    ):
        far, _ = server.accept()
        with far:
            for end in (near, far):
                end.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            message, rounds, started = b"x" * 64, 0, time.perf_counter()
            while (elapsed := time.perf_counter() - started) < seconds:
                for _ in range(50):
                    near.sendall(message)
                    far.recv(64)
                    far.sendall(message)
                    near.recv(64)
                rounds += 50
    return rounds / elapsed


def memory_speed(seconds: float = 1.0, megabytes: int = 64) -> float:
    """Reads per second at random places of a ``megabytes`` array, far beyond a core's
    caches: what a neighbour sharing the machine's memory and last-level cache slows
    (``machine_speed``'s workload fits in the caches)."""
    size = megabytes * 1024 * 1024 // 8
    cells = array("q", [0]) * size
    places = random.Random(0).sample(range(size), 20_000)
    reads, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        total = 0
        for place in places:
            total += cells[place]
        reads += len(places)
    return reads / elapsed


def machine_speeds() -> dict[str, float]:
    """The three yardsticks of the machine of the moment, for comparing runs."""
    return {"python": machine_speed(), "loopback": loopback_speed(), "memory": memory_speed()}
