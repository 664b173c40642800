"""The benchmark ``make bench`` runs (with N = 100,000), run small."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from bank_gateway.bench import measure
from benefits_shared.kafka.admin import topic_names


def test_the_bench_times_grants_through_the_gateway_against_a_bare_client(
    kafka_bootstrap: str, database_url: str, tmp_path: Path
) -> None:
    before = asyncio.run(topic_names(kafka_bootstrap))
    result = measure(
        120,
        kafka_bootstrap=kafka_bootstrap,
        database_url=database_url,
        workdir=tmp_path,
        document_size=25,
    )
    print(result)
    assert result["grants"] == 120
    assert result["gateway_settled_per_second"] == pytest.approx(120 / result["gateway_seconds"])
    assert result["baseline_settled_per_second"] == pytest.approx(120 / result["baseline_seconds"])
    assert result["gateway_vs_baseline"] == pytest.approx(
        result["gateway_settled_per_second"] / result["baseline_settled_per_second"]
    )
    assert result["baseline_acceptance_transfers_per_second"] > 0
    deadline = time.monotonic() + 30  # the broker deletes topics in the background
    while left := asyncio.run(topic_names(kafka_bootstrap)) - before:
        assert time.monotonic() < deadline, f"the bench left its topics: {sorted(left)}"
        time.sleep(0.5)
