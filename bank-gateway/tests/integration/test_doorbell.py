"""The consumer wakes the gateway's account lane when it asks for accounts (the doorbell,
ADR 0022): with an idle pause of an hour, a grant decided still gets its account opened
at once. Only the consumer's ring can have woken the lane."""

from __future__ import annotations

from bank_gateway.bench_rig import start_gateway
from benefits_shared.testing import terminate
from gateway_decisions import grant, pin
from gateway_rig import GatewayRig

AN_HOUR = "3600"


async def test_a_decision_wakes_the_lane_that_opens_its_account(rig: GatewayRig) -> None:
    gateway = start_gateway({**rig.env(), "GATEWAY_IDLE_SECONDS": AN_HOUR}, log=rig.log)
    rig.processes.append(gateway)
    await rig.started(1)  # its lanes find nothing, then sleep for an hour

    await rig.decide(grant(1, person=11, amount="250.00"))

    await rig.wait_for(lambda: rig.count_is("accounts", 1, "state = 'open'"), what="opened")
    assert [a["pin"] for a in rig.bank.accounts()] == [pin(11)]
    assert terminate(gateway) == 0
