"""``devstack bench``: run every benchmark and write the report.

Sizes: ``BENCH_FAMILIES`` (engine, 10,000 mothers), ``BENCH_CIVIL_RECORDS`` (connector,
1,000,000), ``BENCH_GRANTS`` (bank, 100,000), ``BENCH_BIRTHS`` (end to end, 25,000),
``BENCH_STEADY_RATES``/``BENCH_STEADY_SECONDS`` (latency, 50/s then 200/s, 30 s each),
``BENCH_REPLICAS`` (the engine and the end-to-end run with 1 and with 2 instances of each
service: ``1,2``),
``BENCH_PARTNER_PERSONS`` (partner faults, 5,000). ``BENCH_ONLY`` (e.g. ``engine,e2e``,
``partners``) runs some parts only.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devstack.bench import engine_bench, report
from devstack.bench.cluster_estimate import cluster_estimate
from devstack.bench.measure import Figure, machine_speeds
from devstack.console import Steps, say


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    passthrough: float | None = None


def _size(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


async def _engine(bootstrap: str, database_url: str, r: Report) -> None:
    families = _size("BENCH_FAMILIES", 10_000)
    say(f"engine benchmark ({families:,} families)…")
    engine = await engine_bench.engine_benchmark(bootstrap, database_url, families, _replicas())
    r.figures += engine["figures"]
    r.passthrough = engine["figures"][0].baseline
    r.extra["engine"] = {k: v for k, v in engine.items() if k != "figures"}
    r.notes.append(memory_note(engine))
    r.notes.append(
        f"engine CPU per event (user+system, from ready to done; steadier than the rates "
        f"on a shared machine): deciding {engine['engine_cpu_ms_per_event']:.3f} ms, "
        f"replay {engine['replay_cpu_ms_per_event']:.3f} ms"
    )
    for count, same in engine["same_decisions"].items():
        r.notes.append(
            f"engine, {count} instances in one group: "
            + (
                "the same decisions (ids) as one instance"
                if same
                else "DIFFERENT decisions from one instance (a defect: see the run's schema)"
            )
        )


def memory_note(engine: dict[str, Any]) -> str:
    """The engine's peak memory once a quarter, half, three quarters and all of the events
    were in: the same all along if its memory is flat in the number of events."""

    def quarters(peaks: list[float]) -> str:
        return " / ".join(f"{mb:.0f}" for mb in peaks) + " MB"

    return (
        f"engine peak memory once a quarter / half / three quarters / all of the "
        f"{engine['events']:,} events were in: {quarters(engine['engine_peaks_mb'])} "
        f"(replay {quarters(engine['replay_peaks_mb'])}); {engine['decisions']:,} "
        f"decisions; its start-up (imports, migrations, group join) took "
        f"{engine['engine_startup_s']:.1f} s, outside the timed figures, as the "
        "passthrough's client start is"
    )


def _sizes(name: str, default: str) -> list[int]:
    """A comma-separated list of sizes (``1,2``)."""
    return [int(n) for n in os.environ.get(name, default).split(",") if n]


def _replicas() -> list[int]:
    return _sizes("BENCH_REPLICAS", "1,2")


async def _connectors(bootstrap: str, database_url: str, r: Report) -> None:
    from registry_connectors.bench import measure

    records = _size("BENCH_CIVIL_RECORDS", 1_000_000)
    say(f"connector benchmark ({records:,} civil-registry records)…")
    civil = await measure(records, bootstrap, database_url, page_size=1000)
    r.extra["connectors"] = civil
    r.figures.append(
        Figure(
            f"civil-registry connector into Kafka ({records:,} records)",
            civil["connector_records_per_s"],
            "records/s",
            civil["raw_producer_records_per_s"],
            "raw aiokafka producer, same records",
        )
    )


async def _bank(bootstrap: str, database_url: str, r: Report) -> None:
    from bank_gateway.bench import measure

    grants = _size("BENCH_GRANTS", 100_000)
    say(f"bank benchmark ({grants:,} grants)…")
    bank = await asyncio.to_thread(
        measure, grants, kafka_bootstrap=bootstrap, database_url=database_url
    )
    r.extra["bank"] = bank
    r.figures.append(
        Figure(
            f"bank gateway: grants settled through the simulator ({grants:,})",
            bank["gateway_settled_per_second"],
            "payments/s",
            bank["baseline_settled_per_second"],
            "bare HTTP client doing the same bank work",
        )
    )


async def _partner_faults(bootstrap: str, database_url: str, r: Report) -> None:
    from devstack.bench.partner_faults import partner_faults

    persons = _size("BENCH_PARTNER_PERSONS", 5_000)
    print(f"partner-faults benchmark ({persons:,} persons)…", flush=True)
    faults = await partner_faults(bootstrap, database_url, persons)
    r.extra["partner_faults"] = faults
    for what, unit in (("accounts", "accounts/s"), ("sms", "SMS/s")):
        r.figures.append(
            Figure(
                f"{what} under partner faults (10% 5xx, 5% 35-s hangs, 5% 429; {persons:,})",
                faults[f"{what}_per_s_faulty"],
                unit,
                faults[f"{what}_per_s_fault_free"],
                "the same work, partners without faults (target ratio >= 0.5)",
            )
        )


async def _end_to_end(bootstrap: str, database_url: str, root: Path, r: Report) -> None:
    from devstack.bench.e2e_bench import e2e_benchmark

    births, seconds = _size("BENCH_BIRTHS", 25_000), _size("BENCH_STEADY_SECONDS", 30)
    rates = _sizes("BENCH_STEADY_RATES", "50,200")
    counts = _replicas()
    one: float | None = None
    for replicas in counts:
        say(
            f"end-to-end benchmark ({births:,} births, then "
            f"{', '.join(f'{n}/s' for n in rates)} for {seconds}s each; "
            f"{replicas} instance(s) of each service)…"
        )
        run = await e2e_benchmark(bootstrap, database_url, root, births, rates, seconds, replicas)
        r.extra[f"end_to_end_{replicas}"] = run
        baseline = (r.passthrough, "aiokafka passthrough (engine run)")
        if replicas > 1 and one is not None:
            baseline = (one, "the same run with one instance of each service")
        r.figures.append(
            Figure(
                f"end to end, {replicas} instance(s): {births:,} births → payments settled "
                "and SMS accepted",
                run["births_per_s"],
                "births/s",
                baseline[0],
                baseline[1],
            )
        )
        one = run["births_per_s"] if replicas == 1 else one
        r.figures += [
            Figure(
                f"end to end, {replicas} instance(s): p99 latency at {s['offered']} births/s "
                f"offered for {seconds}s ({s['sustained']:.1f}/s sustained; p50 "
                f"{s['p50_s']:.1f} s), a birth's arrival in Kafka → its SMS accepted",
                s["p99_s"],
                "s",
            )
            for s in run["steady"]
        ]
        _e2e_notes(r, run, replicas)


def _e2e_notes(r: Report, run: dict[str, Any], replicas: int) -> None:
    r.notes.append(
        f"peak memory per process in the end-to-end run, {replicas} instance(s) (MB): "
        + ", ".join(f"{name} {mb:.0f}" for name, mb in run["peak_mb"].items())
    )
    r.notes.append(cpu_note(run["cpu_s"], run["births"], run["run_seconds"], replicas))


def cpu_note(cpu_s: dict[str, float], births: int, run_s: float, replicas: int) -> str:
    """Where the end-to-end run's time went: CPU per birth, process by process, and how
    much of the machine they used together (near all of it: the machine is the bound)."""
    cores = os.cpu_count() or 1
    used = sum(cpu_s.values())
    per_birth = sorted(cpu_s.items(), key=lambda kv: -kv[1])
    return (
        f"CPU per birth in the end-to-end run, {replicas} instance(s), {births:,} births in "
        f"{run_s:.0f} s (ms, user+system, start-up included): "
        + ", ".join(f"{name} {1000 * s / births:.1f}" for name, s in per_birth)
        + f"; {1000 * used / births:.1f} ms in all, {used / (cores * run_s):.0%} of the "
        f"machine's {cores} cores over the run"
    )


async def run_all(bootstrap: str, database_url: str, root: Path) -> Path:
    only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
    parts = {
        "engine": lambda r: _engine(bootstrap, database_url, r),
        "connectors": lambda r: _connectors(bootstrap, database_url, r),
        "bank": lambda r: _bank(bootstrap, database_url, r),
        "partners": lambda r: _partner_faults(bootstrap, database_url, r),
        "e2e": lambda r: _end_to_end(bootstrap, database_url, root, r),
    }
    chosen = [name for name in parts if not only or name in only]
    r = Report()
    speeds: dict[str, dict[str, float]] = r.extra.setdefault("machine_speed", {})
    written = root / "benchmarks" / "report.md"
    with Steps("benchmarks", total=len(chosen)) as steps:
        for done, name in enumerate(chosen, start=1):
            steps.note(f"({name})")
            speeds[name] = machine_speeds()
            await parts[name](r)
            steps.advance(f"({name} done)")
            # written after every part: a run stopped or failed later keeps what it measured
            written = _write(root, r, chosen[done:])
    return written


def _write(root: Path, r: Report, left: list[str]) -> Path:
    notes = list(r.notes)
    if speeds := r.extra.get("machine_speed"):
        notes.append(speed_note(speeds))
    if left:
        notes.append(f"a partial report: the run had yet to measure {', '.join(left)}")
    sections = cluster_estimate(r.figures)
    return report.write(root / "benchmarks", r.figures, notes, r.extra, sections)


def speed_note(speeds: dict[str, Any]) -> str:
    """The machine's yardsticks before each part (a report before them has one number)."""

    def part(name: str, speed: float | dict[str, float]) -> str:
        if not isinstance(speed, dict):
            return f"{name} {speed:,.0f}"
        python, loopback, memory = (speed.get(k, 0.0) for k in ("python", "loopback", "memory"))
        return f"{name} {python:,.0f} / {loopback:,.0f} / {memory / 1e6:,.1f}M"

    return (
        "the machine's speed before each part (`measure.machine_speeds`: rounds/s of a fixed"
        " pure-Python workload on one core / round trips/s over TCP on 127.0.0.1 / random"
        " reads/s of a 64 MB array; it drifts during a day by up to twice here, and the"
        " first alone missed a slowdown of a third that the others are there to show):"
        " " + ", ".join(part(name, speed) for name, speed in speeds.items())
    )


def main(bootstrap: str, database_url: str, root: Path) -> None:
    path = asyncio.run(run_all(bootstrap, database_url, root))
    print(path.read_text())
