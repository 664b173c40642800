"""The simulator as a real server: ``python -m bank_simulator`` on a free port of 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from benefits_shared.local_ports import free_port

PERSON = {
    "pin": "5AB7C9D",
    "full_name": "Əliyeva Şəbnəm",
    "birth_date": "1990-05-17",
    "phone": None,
}
STARTUP_LIMIT_SECONDS = 30
Doc = Callable[..., bytes]


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, "the simulator exited at start"
        try:
            if httpx.get(f"{base}/_sim/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the simulator did not answer in time")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    ledger, port = tmp_path / "ledger.jsonl", free_port()
    env = {
        **os.environ,
        "BANK_SIM_PORT": str(port),
        "BANK_SIM_LEDGER_PATH": str(ledger),
        "BANK_SIM_SETTLEMENT_DELAY_SECONDS": "0",
    }
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "bank_simulator"], env=env, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base, ledger
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
        log.close()
        print((tmp_path / "server.log").read_text())


async def settled(bank: httpx.AsyncClient, msg_id: str) -> str:
    for _ in range(100):
        report = (await bank.get(f"/v1/payments/{msg_id}/status")).text
        if "<TxSts>PDNG</TxSts>" not in report:
            return report
        await asyncio.sleep(0.05)
    raise AssertionError("the credit never settled")


async def test_a_payment_through_the_real_server_survives_a_time_out_and_lands_in_the_ledger_file(
    server: tuple[str, Path], document: Doc
) -> None:
    base, ledger = server
    async with httpx.AsyncClient(base_url=base, timeout=5) as bank:
        iban = (
            await bank.post("/v1/accounts", json=PERSON, headers={"Idempotency-Key": "a1"})
        ).json()["iban"]
        await bank.post("/_sim/faults", json={"timeout_rate": 1.0, "timeout_hold_seconds": 2})
        doc = document("MSG1", [("E2E1", iban, "170.32", "Əliyeva Şəbnəm")])
        headers = {"Idempotency-Key": "p1", "Content-Type": "application/xml"}
        with pytest.raises(httpx.ReadTimeout):
            await bank.post("/v1/payments", content=doc, headers=headers, timeout=0.5)
        await bank.post("/_sim/faults", json={"timeout_rate": 0.0})
        retry = await bank.post("/v1/payments", content=doc, headers=headers)
        assert retry.status_code == 202
        assert "<TxSts>ACSC</TxSts>" in await settled(bank, "MSG1")
    lines = [json.loads(line) for line in ledger.read_text().splitlines()]
    credits = [
        (f["end_to_end_id"], f["iban"], f["amount"]) for f in lines if f["kind"] == "credit_settled"
    ]
    assert credits == [("E2E1", iban, "170.32")]
