"""The benchmark report: Markdown and JSON in ``benchmarks/``, every figure beside its
baseline from the same run."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from devstack.bench.measure import Figure


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "processor": platform.processor() or platform.machine(),
    }


def write(
    folder: Path,
    figures: list[Figure],
    notes: list[str],
    extra: dict[str, Any],
    sections: list[str] | None = None,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    when = datetime.now(UTC).isoformat(timespec="seconds")
    data = {
        "when": when,
        "machine": machine(),
        "figures": [asdict(f) for f in figures],
        "notes": notes,
        **extra,
    }
    (folder / "report.json").write_text(json.dumps(data, indent=2, default=str) + "\n")
    lines = [
        "# Benchmark report",
        "",
        f"Run {when} on {data['machine']['cpus']} cores, {data['machine']['memory_gib']} GiB, "
        f"Python {data['machine']['python']}, {data['machine']['system']}.",
        "Reproduce: `make bench` (the stack is started if needed).",
        "",
        "| figure | value | baseline (same run) | ratio |",
        "| --- | ---: | --- | ---: |",
    ]
    for f in figures:
        base = f"{f.baseline:,.0f} {f.unit} ({f.baseline_name})" if f.baseline else "—"
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "—"
        lines.append(f"| {f.name} | {f.value:,.1f} {f.unit} | {base} | {ratio} |")
    lines += ["", *[f"- {n}" for n in notes], "", *(sections or [])]
    (folder / "report.md").write_text("\n".join(lines))
    return folder / "report.md"
