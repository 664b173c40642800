"""``devstack bench``: run every benchmark and write the report.

Sizes: ``BENCH_FAMILIES`` (engine, 10,000 mothers), ``BENCH_CIVIL_RECORDS`` (connector,
1,000,000), ``BENCH_GRANTS`` (bank, 100,000), ``BENCH_BIRTHS`` (end to end, 25,000),
``BENCH_STEADY_RATE``/``BENCH_STEADY_SECONDS`` (latency, 200/s for 30 s),
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
from devstack.bench.measure import Figure


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
    print(f"engine benchmark ({families:,} families)…", flush=True)
    engine = await engine_bench.engine_benchmark(bootstrap, database_url, families)
    r.figures += engine["figures"]
    r.passthrough = engine["figures"][0].baseline
    r.extra["engine"] = {k: v for k, v in engine.items() if k != "figures"}
    r.notes.append(
        f"engine peak memory {engine['engine_peak_mb']:.0f} MB over "
        f"{engine['events']:,} events ({engine['decisions']:,} decisions)"
    )


async def _connectors(bootstrap: str, database_url: str, r: Report) -> None:
    from registry_connectors.bench import measure

    records = _size("BENCH_CIVIL_RECORDS", 1_000_000)
    print(f"connector benchmark ({records:,} civil-registry records)…", flush=True)
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
    print(f"bank benchmark ({grants:,} grants)…", flush=True)
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

    births, rate = _size("BENCH_BIRTHS", 25_000), _size("BENCH_STEADY_RATE", 200)
    seconds = _size("BENCH_STEADY_SECONDS", 30)
    print(f"end-to-end benchmark ({births:,} births, then {rate}/s for {seconds}s)…")
    whole = await e2e_benchmark(bootstrap, database_url, root, births, rate, seconds)
    r.extra["end_to_end"] = whole
    r.figures.append(
        Figure(
            f"end to end: {births:,} births → payments settled and SMS accepted",
            whole["births_per_s"],
            "births/s",
            r.passthrough,
            "aiokafka passthrough (engine run)",
        )
    )
    if whole["latency_s"]:
        p50, p99 = whole["latency_s"]
        r.notes.append(
            f"end-to-end latency at a steady {rate} births/s for {seconds}s (a "
            f"birth's arrival in Kafka → its SMS accepted): p50 {p50:.1f} s, "
            f"p99 {p99:.1f} s"
        )
    r.notes.append(
        "peak memory per process in the end-to-end run (MB): "
        + ", ".join(f"{name} {mb:.0f}" for name, mb in whole["peak_mb"].items())
    )


async def run_all(bootstrap: str, database_url: str, root: Path) -> Path:
    only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
    r = Report()
    if not only or "engine" in only:
        await _engine(bootstrap, database_url, r)
    if not only or "connectors" in only:
        await _connectors(bootstrap, database_url, r)
    if not only or "bank" in only:
        await _bank(bootstrap, database_url, r)
    if not only or "partners" in only:
        await _partner_faults(bootstrap, database_url, r)
    if not only or "e2e" in only:
        await _end_to_end(bootstrap, database_url, root, r)
    return report.write(root / "benchmarks", r.figures, r.notes, r.extra)


def main(bootstrap: str, database_url: str, root: Path) -> None:
    path = asyncio.run(run_all(bootstrap, database_url, root))
    print(path.read_text())
