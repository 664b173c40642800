"""The ops service in the chaotic run (killed with SIGKILL like every service): its
projection holds every decision and dead letter exactly once, a citizen's timeline shows
her grant and its payment, and the lookup is in the audit log (its log is scanned for
PINs and phones with every other log by ``test_no_log_line_holds_a_pin_or_a_phone_number``).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from typing import Any

import httpx
import pytest
from benefits_shared.pin import PinHasher
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from devstack.components import OPS_PORT, ops_token_argv
from e2e_run import E2ERun, observer_of

pytestmark = pytest.mark.timeout(900)


def admin_token(e2e: E2ERun) -> str:
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": e2e.bootstrap,
        "DATABASE_URL": e2e.database_url,
        **e2e.ns.service_env()["ops"],
    }
    made = subprocess.run(
        ops_token_argv("e2e"), env=env, capture_output=True, text=True, check=True
    )
    secret: str = json.loads(made.stdout)["secret"]
    return secret


async def caught_up(http: httpx.AsyncClient, group: str) -> dict[str, Any]:
    """The dashboard once the projection's group has no lag (bounded wait)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        board: dict[str, Any] = (await http.get("/api/v1/dashboard")).json()
        if board["consumer_lag"].get(group) == 0:
            return board
        await asyncio.sleep(2)
    raise TimeoutError("the ops projection did not catch up")


async def test_the_ops_console_sees_the_whole_run_once(e2e: E2ERun) -> None:
    url = f"http://127.0.0.1:{e2e.ns.port(OPS_PORT)}"
    headers = {"Authorization": f"Bearer {admin_token(e2e)}"}
    observer = observer_of(e2e)
    try:
        decisions = await observer.read("benefit-decisions")
        payments = await observer.read("payments")
        ends = await observer.end_offsets()
    finally:
        await observer.close()
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as http:
        await caught_up(http, e2e.ns.group("ops"))
        dead = (
            await http.get("/api/v1/dead-letters", params={"state": "all", "limit": 1000})
        ).json()
        assert len(dead) == sum(n for topic, n in ends.items() if topic.endswith(".dlq"))
        settled = {
            p.value["decision_id"] for p in payments if p.type.endswith("payment-settled.v1")
        }
        grant = next(
            d.value
            for d in decisions
            if d.value["benefit"] == "B1"
            and d.value["outcome"] == "assigned"
            and d.value["decision_id"] in settled
        )
        pin = grant["recipient"]["pin"]
        answer = await http.post("/api/v1/citizens/lookup", json={"pin": pin, "reason": "e2e"})
        entries = answer.json()["entries"]
        mine = [e for e in entries if e.get("decision_id") == grant["decision_id"]]
        assert "Birth grant granted" in [e["title"] for e in mine]
        assert "Payment settled" in [e["title"] for e in mine]
        projected = [e for e in entries if e["title"] == "Birth grant granted"]
        assert len({e["decision_id"] for e in projected}) == len(projected)  # each once
        audit = (await http.get("/api/v1/audit")).json()
        target = f"pin#{PinHasher(DEV_PIN_HMAC_KEY).digest(pin)}"
        assert any(e["action"] == "citizen.lookup" and e["target"] == target for e in audit)
