"""The simulators as real servers: ``python -m registry_simulators`` on free 127.0.0.1 ports,
paged through with ``httpx``; and the generator's command line with its drop-folder mode."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from benefits_shared.local_ports import free_port

SERVICE = Path(__file__).resolve().parents[2]


def generate(folder: Path, *extra: str) -> dict[str, int]:
    command = [
        sys.executable,
        "-m",
        "registry_simulators.population",
        "--persons",
        "3000",
        "--seed",
        "9",
        "--start",
        "2026-01-01",
        "--days",
        "120",
        "--out",
        str(folder),
        "--redelivery-rate",
        "0.05",
        *extra,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout.splitlines()[0])


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the simulator exited"
        try:
            if httpx.get(f"{url}/_sim/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the simulator did not come up")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("data")
    generate(folder)
    return folder


@pytest.fixture(scope="module")
def servers(dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    civil, population = free_port(), free_port()
    env = {
        **os.environ,
        "REGISTRY_SIM_DATA_DIR": str(dataset),
        "CIVIL_SIM_PORT": str(civil),
        "POPULATION_SIM_PORT": str(population),
        "CIVIL_SIM_REDELIVERY_RATE": "0.3",
        # Seeded dice: about ten pages at 0.3 leave no redelivery in 3% of unseeded runs.
        "REGISTRY_SIM_SEED": "4",
        "REGISTRY_SIM_INDEX_DIR": str(tmp_path_factory.mktemp("index")),
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen([sys.executable, "-m", "registry_simulators"], env=env)
    urls = f"http://127.0.0.1:{civil}", f"http://127.0.0.1:{population}"
    try:
        for url in urls:
            wait_until_up(url, process)
        yield urls
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0


def test_paging_the_real_civil_feed_delivers_every_record_at_least_once(servers, dataset):
    civil_url, _ = servers
    expected = [
        json.loads(line) for line in (dataset / "civil_registry.jsonl").read_text().splitlines()
    ]
    received: dict[int, dict[str, object]] = {}
    after, pages, repeats = 0, 0, 0
    with httpx.Client(base_url=civil_url, timeout=10) as client:
        while True:
            page = client.get("/v1/records", params={"after": after, "limit": 50}).json()
            if not page["records"]:
                break
            pages += 1
            repeats += sum(1 for r in page["records"] if r["seq"] in received)
            received.update((r["seq"], r) for r in page["records"])
            after = page["last_seq"]
        stats = client.get("/_sim/stats").json()
    assert [received[seq] for seq in sorted(received)] == expected
    assert repeats == stats["records_redelivered"] > 0
    assert stats["requests"] == pages + 1


def test_the_real_population_registry_serves_persons_and_changes(servers, dataset):
    _, population_url = servers
    first = json.loads((dataset / "population.jsonl").read_text().splitlines()[0])
    with httpx.Client(base_url=population_url, timeout=10) as client:
        person = client.get(f"/v1/persons/{first['pin']}")
        batch = client.post("/v1/persons:batchGet", json={"pins": [first["pin"], "AAAAAAA"]})
        listing = client.get("/v1/persons", params={"limit": 5}).json()
        changes = client.get("/v1/changes", params={"after": 0, "limit": 5}).json()
    assert person.status_code == 200
    assert person.json()["pin"] == first["pin"]
    assert batch.json()["missing"] == ["AAAAAAA"]
    assert [p["pin"] for p in listing["persons"]] == sorted(p["pin"] for p in listing["persons"])
    assert [c["seq"] for c in changes["changes"]] == [1, 2, 3, 4, 5]


def test_the_generator_cli_drops_the_mse_files_into_a_folder(tmp_path):
    counts = generate(
        tmp_path / "data", "--mse-drop-dir", str(tmp_path / "drop"), "--drop-interval", "0"
    )
    plan = (tmp_path / "data" / "mse_drops.jsonl").read_text().splitlines()
    dropped = sorted(p.name for p in (tmp_path / "drop").glob("mse_*.csv"))
    assert dropped == sorted(p.name for p in (tmp_path / "data" / "mse").iterdir())
    assert counts["persons"] == 3000
    assert len(plan) >= len(dropped) > 50
