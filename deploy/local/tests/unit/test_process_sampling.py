"""The bench's process sampler: peak memory and the CPU a process (and its children)
used while it was watched, found by its command line."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid

from devstack.bench.measure import PeakMemory

BURN = (
    "import time\n"
    "end = time.process_time() + 0.6\n"
    "while time.process_time() < end: pass\n"
    "time.sleep(30)"
)


async def test_the_cpu_a_found_process_and_its_children_used_is_counted() -> None:
    marker = f"sampled-{uuid.uuid4().hex}"
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {BURN!r}])"
    parent = subprocess.Popen([sys.executable, "-c", child, marker])
    try:
        sampler = PeakMemory.of_command(sys.executable, marker)
        assert sampler is not None
        sampler.start()
        await asyncio.sleep(2)
        sampler.stop()
    finally:
        parent.kill()
        parent.wait()
    assert sampler.cpu_s >= 0.4  # the child's burn, not the idle parent's
    assert sampler.peak_mb > 1


def test_no_process_has_the_words() -> None:
    assert PeakMemory.of_command(f"nothing-runs-this-{uuid.uuid4().hex}") is None
