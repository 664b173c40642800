"""One-time grants through the real gateway and bank simulator: withdrawn before and after
they were paid."""

from __future__ import annotations

from decimal import Decimal

from benefits_shared.testing import terminate
from gateway_decisions import grant, pin, revoked
from gateway_rig import GatewayRig, of_type


async def test_a_grant_revoked_before_it_is_paid_is_never_paid_and_one_revoked_after_is_recovered(
    rig: GatewayRig,
) -> None:
    withdrawn_early = grant(1, person=11, amount="250.00")
    paid_then_withdrawn = grant(2, person=12, amount="350.00")
    await rig.decide(withdrawn_early, revoked(withdrawn_early), paid_then_withdrawn)
    gateway = rig.start()
    await rig.wait_for(lambda: rig.settled_is(1), what="the second grant paid")
    await rig.decide(revoked(paid_then_withdrawn))
    await rig.wait_for(lambda: rig.count_is("recoveries", 1), what="the recovery case")
    await rig.wait_for(rig.quiet, what="quiet")
    assert terminate(gateway) == 0

    assert [(c["amount"]) for c in rig.bank.credits()] == ["350.00"]
    assert [a["pin"] for a in rig.bank.accounts()] == [pin(12)]  # nobody else needed one
    recovery = await rig.rows("SELECT case_id, amount, month FROM {s}.recoveries")
    assert recovery == [{"case_id": "B1:case-2", "amount": Decimal("350.00"), "month": None}]
    events = await rig.on_payments_topic(expected=4)
    opened = of_type(events, "recovery-opened")
    assert [(e["case_id"], e["recipient_pin"], e["amount"]) for e in opened] == [
        ("B1:case-2", pin(12), "350.00")
    ]
