"""``devstack bench``: run every benchmark and write the report."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from devstack.bench import engine_bench, report
from devstack.bench.measure import Figure


async def run_all(bootstrap: str, database_url: str, out: Path) -> Path:
    figures: list[Figure] = []
    notes: list[str] = []
    extra: dict[str, Any] = {}
    families = int(os.environ.get("BENCH_FAMILIES", "10000"))
    print(f"engine benchmark ({families:,} families)…")
    engine = await engine_bench.engine_benchmark(bootstrap, database_url, families)
    figures += engine["figures"]
    extra["engine"] = {k: v for k, v in engine.items() if k != "figures"}
    notes.append(
        f"engine peak memory {engine['engine_peak_mb']:.0f} MB over "
        f"{engine['events']:,} events ({engine['decisions']:,} decisions)"
    )
    return report.write(out, figures, notes, extra)


def main(bootstrap: str, database_url: str, root: Path) -> None:
    path = asyncio.run(run_all(bootstrap, database_url, root / "benchmarks"))
    print(path.read_text())
