"""Work committed in the gateway wakes its payment worker (the doorbell, ADR 0022): with
an idle pause of an hour, a grant decided still gets its account opened and its payment
put in a document at once. Only the rings can have woken the lanes: the consumer's when
it stored the grant, the account lane's when the account opened."""

from __future__ import annotations

from bank_gateway.bench_rig import start_gateway
from benefits_shared.testing import terminate
from gateway_decisions import grant, pin
from gateway_rig import GatewayRig

AN_HOUR = "3600"


async def test_a_decision_wakes_the_lanes_that_open_its_account_and_pay_it(
    rig: GatewayRig,
) -> None:
    env = {**rig.env(), "GATEWAY_IDLE_SECONDS": AN_HOUR, "GATEWAY_DOCUMENT_SIZE": "1"}
    gateway = start_gateway(env, log=rig.log)
    rig.processes.append(gateway)
    await rig.started(1)  # its lanes find nothing, then sleep for an hour

    await rig.decide(grant(1, person=11, amount="250.00"))

    await rig.wait_for(lambda: rig.count_is("accounts", 1, "state = 'open'"), what="opened")
    await rig.wait_for(lambda: rig.count_is("documents", 1), what="the payment in a document")
    assert [a["pin"] for a in rig.bank.accounts()] == [pin(11)]
    assert terminate(gateway) == 0
