"""A bank call that hangs after the work is asked again at once, and still opens one account."""

from __future__ import annotations

import re

import httpx
from bank_gateway.bench_rig import Simulator, start_gateway
from benefits_shared.local_ports import free_port
from benefits_shared.testing import terminate
from gateway_decisions import grant, pin
from gateway_rig import GatewayRig

PEOPLE = range(500, 530)
HEDGES = re.compile(r'^benefits_partner_hedges_total\{partner="bank"\} (\S+)$', re.M)


async def test_calls_that_hang_are_asked_again_and_nobody_gets_two_accounts(
    rig: GatewayRig, simulator: Simulator
) -> None:
    # Every third call hangs after the work, far longer than the call may wait.
    simulator.faults(timeout_rate=0.3, timeout_hold_seconds=30)
    await rig.decide(*[grant(n, person=p, amount="250.00") for n, p in enumerate(PEOPLE)])
    port = free_port()
    hedging = {"BANK_TIMEOUT_SECONDS": "5", "BANK_HEDGE_AFTER_SECONDS": "0.05"}
    gateway = start_gateway({**rig.env(), **hedging, "HEALTH_PORT": str(port)}, log=rig.log)
    rig.processes.append(gateway)
    await rig.started(lives=1)
    await rig.wait_for(lambda: rig.count_is("accounts", len(PEOPLE), "state = 'open'"), 60)

    async with httpx.AsyncClient() as http:
        metrics = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
    hedges = HEDGES.search(metrics)
    assert hedges is not None and float(hedges.group(1)) > 0
    assert terminate(gateway) == 0
    assert sorted(a["pin"] for a in simulator.accounts()) == sorted(pin(p) for p in PEOPLE)
