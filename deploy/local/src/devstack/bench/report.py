"""The benchmark report: Markdown and JSON in ``benchmarks/``, every figure beside its
baseline from the same run."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass
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


@dataclass(frozen=True, slots=True)
class Target:
    """What issue #12 asks of the figures whose names begin with ``prefix``."""

    prefix: str
    says: str
    met: Callable[[Figure], bool]


def _ratio_at_least(bound: float) -> Callable[[Figure], bool]:
    return lambda f: f.ratio is not None and f.ratio >= bound


#: 25,000 births (DOST's busiest day) in 120 s.
PEAK_DAY_RATE = 25_000 / 120
TARGETS = (
    Target("engine: events decided", "≥ 0.5× the passthrough", _ratio_at_least(0.5)),
    Target("engine: replay", "≥ 0.8× the passthrough", _ratio_at_least(0.8)),
    Target("civil-registry connector", "≥ 0.5× the raw producer", _ratio_at_least(0.5)),
    Target("bank gateway: grants settled", "≥ 0.8× the bare client", _ratio_at_least(0.8)),
    Target("accounts under partner faults", "≥ 0.5× fault-free", _ratio_at_least(0.5)),
    Target("sms under partner faults", "≥ 0.5× fault-free", _ratio_at_least(0.5)),
    Target(
        "end to end, 1 instance(s): ",
        f"25,000 births in ≤ 120 s (≥ {PEAK_DAY_RATE:.0f} births/s)",
        lambda f: f.unit == "births/s" and f.value >= PEAK_DAY_RATE,
    ),
    Target(
        "end to end, 1 instance(s): p99 latency at 50 births/s",
        "≤ 2 s",
        lambda f: f.value <= 2.0,
    ),
)


def target_of(figure: Figure) -> tuple[str, str]:
    """The target a figure is held to and whether it is met ("—" for none)."""
    for target in TARGETS:
        if figure.name.startswith(target.prefix) and (
            "latency" not in figure.name or "latency" in target.prefix
        ):
            return target.says, "met" if target.met(figure) else "**missed**"
    return "—", "—"


def write(
    folder: Path,
    figures: list[Figure],
    notes: list[str],
    extra: dict[str, Any],
    sections: list[str] | None = None,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(folder),
        "machine": machine(),
        "figures": [asdict(f) for f in figures],
        "notes": notes,
        "sections": sections or [],
        **extra,
    }
    (folder / "report.json").write_text(json.dumps(data, indent=2, default=str) + "\n")
    return render(folder)


def render(folder: Path) -> Path:
    """``report.md`` from ``report.json`` (so a report can be shown again as it was)."""
    data = json.loads((folder / "report.json").read_text())
    figures = [Figure(**f) for f in data["figures"]]
    commit = f" from commit `{data['commit']}`" if data.get("commit") else ""
    lines = [
        "# Benchmark report",
        "",
        f"Run {data['when']}{commit} on {data['machine']['cpus']} cores, "
        f"{data['machine']['memory_gib']} GiB, Python {data['machine']['python']}, "
        f"{data['machine']['system']}.",
        "Reproduce: `make bench` (the stack is started if needed). Targets: issue #12.",
        "",
        "| figure | value | baseline (same run) | ratio | target | |",
        "| --- | ---: | --- | ---: | --- | --- |",
    ]
    for f in figures:
        base = f"{f.baseline:,.0f} {f.unit} ({f.baseline_name})" if f.baseline else "—"
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "—"
        target, met = target_of(f)
        value = f"{f.value:,.1f} {f.unit}"
        lines.append(f"| {f.name} | {value} | {base} | {ratio} | {target} | {met} |")
    lines += ["", *[f"- {n}" for n in data["notes"]], "", *data.get("sections", [])]
    (folder / "report.md").write_text("\n".join(lines))
    return folder / "report.md"


def _commit(folder: Path) -> str | None:
    """The commit the benchmarks ran (``+`` when the work tree had changes)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            [
                "git",
                "-C",
                str(folder),
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                ":(top,exclude)benchmarks",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+" if dirty else "")
