"""Replays through the ops service in the chaotic run (ADR 12), the engine answering: a
full dry run finds no difference; applied, it publishes no decision and causes no payment
or SMS; with a raised B1 amount deployed, a dry run shows exactly the grants it raises."""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from devstack.components import OPS_PORT
from e2e_run import ROOT, E2ERun, observer_of, restart_service
from test_ops_console import admin_token

pytestmark = pytest.mark.timeout(900)
EVERYTHING = {"kind": "everything"}
B1_2025 = "birth_grant.base_amount@2025-01-01"


async def _run(http: httpx.AsyncClient, mode: str) -> dict[str, Any]:
    body = {"selection": EVERYTHING, "mode": mode, "reason": "e2e: after the chaos"}
    sent = (await http.post("/api/v1/replays", json=body)).json()
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        shown: dict[str, Any] = (await http.get(sent["status_url"])).json()
        if shown["finished"]:
            assert shown["run"]["state"] == "completed", shown["run"]
            return shown
        await asyncio.sleep(2)
    raise TimeoutError(f"the {mode} replay did not finish")


async def _counts(e2e: E2ERun) -> tuple[int, int, int]:
    observer = observer_of(e2e)
    try:
        ends = await observer.end_offsets()
        ledger = await observer.sim("BANK_API_URL", "/_sim/ledger") or []
        sms = await observer.sim("SMS_GATEWAY_URL", "/_sim/messages") or []
        return ends["benefit-decisions"], len(ledger), len(sms)
    finally:
        await observer.close()


async def _raised_grants(e2e: E2ERun) -> set[str]:
    """The cases whose last decision is a B1 grant priced by the 2025 base amount."""
    observer = observer_of(e2e)
    try:
        decisions = [d.value for d in await observer.read("benefit-decisions")]
    finally:
        await observer.close()
    superseded = {d["supersedes"] for d in decisions if d["supersedes"]}
    last = [d for d in decisions if d["decision_id"] not in superseded]
    return {
        d["case_id"]
        for d in last
        if d["benefit"] == "B1" and d["outcome"] == "assigned" and B1_2025 in d["parameters"]
    }


def _raised_parameters(folder: Path) -> Path:
    packaged = ROOT / "eligibility-engine" / "src" / "eligibility_engine" / "parameters"
    shutil.copytree(packaged, folder)
    grant = folder / "birth_grant.yaml"
    grant.write_text(grant.read_text().replace("value: 250.00", "value: 300.00", 1))
    return folder


async def test_replays_from_the_console_change_only_what_differs(
    e2e: E2ERun, tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{e2e.ns.port(OPS_PORT)}"
    headers = {"Authorization": f"Bearer {admin_token(e2e)}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as http:
        before = await _counts(e2e)
        dry = await _run(http, "dry_run")
        assert dry["verdict"] == "no change", json.dumps(dry["run"]["differences"], indent=1)
        assert dry["run"]["cases_total"] > 0
        applied = await _run(http, "apply")
        assert (applied["run"]["published"], applied["run"]["changed"]) == (0, 0)
        await asyncio.sleep(10)  # anything published or sent again would show up by now
        assert await _counts(e2e) == before

        raised = {"ENGINE_PARAMETERS_DIR": str(_raised_parameters(tmp_path / "p"))}
        restart_service(e2e, "engine", raised)  # every instance, or one would answer unraised
        try:
            expected = await _raised_grants(e2e)
            changed = await _run(http, "dry_run")
        finally:
            restart_service(e2e, "engine")
        differences = changed["run"]["differences"]
        assert {d["case_id"] for d in differences} == expected and expected
        assert all(Decimal(d["delta"]) == Decimal("50.00") for d in differences)
        assert Decimal(changed["run"]["delta"]) == Decimal("50.00") * len(expected)
        assert (await _counts(e2e))[0] == before[0]  # a dry run publishes nothing
