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
    records = int(os.environ.get("BENCH_CIVIL_RECORDS", "1000000"))
    print(f"connector benchmark ({records:,} civil-registry records)…", flush=True)
    from registry_connectors.bench import measure as connectors_measure

    civil = await connectors_measure(records, bootstrap, database_url, page_size=1000)
    extra["connectors"] = civil
    figures.append(
        Figure(
            "civil-registry connector into Kafka",
            civil["connector_records_per_s"],
            "records/s",
            civil["raw_producer_records_per_s"],
            "raw aiokafka producer, same records",
        )
    )
    grants = int(os.environ.get("BENCH_GRANTS", "100000"))
    print(f"bank benchmark ({grants:,} grants)…", flush=True)
    from bank_gateway.bench import measure as bank_measure

    bank = await asyncio.to_thread(
        bank_measure, grants, kafka_bootstrap=bootstrap, database_url=database_url
    )
    extra["bank"] = bank
    figures.append(
        Figure(
            "bank gateway: grants settled through the simulator",
            bank["gateway_settled_per_second"],
            "payments/s",
            bank["baseline_settled_per_second"],
            "bare HTTP client doing the same bank work",
        )
    )
    return report.write(out, figures, notes, extra)


def main(bootstrap: str, database_url: str, root: Path) -> None:
    path = asyncio.run(run_all(bootstrap, database_url, root / "benchmarks"))
    print(path.read_text())
