"""A bank that sends broken pain.002 reports: the real gateway refuses each with a clear
error and moves no payment; once the reports are sound again, the payment settles."""

from __future__ import annotations

from functools import partial

from benefits_shared.testing import terminate
from gateway_decisions import grant
from gateway_rig import GatewayRig

#: Each way the simulator breaks a report, and what the gateway writes down about it.
DEFECTS = {
    "schema_invalid": "not a valid pain.002.001.10 status report",
    "missing_status": "missing status (TxSts) of transaction",
    "unknown_status": "unknown status code 'PAID'",
    "other_message": "a report on 'NOT-YOURS', not on",
}


async def test_a_malformed_status_report_is_refused_and_the_payment_state_is_unchanged(
    rig: GatewayRig,
) -> None:
    rig.bank.faults(broken_status_report="schema_invalid")
    await rig.decide(grant(1, person=21, amount="250.00"))
    gateway = rig.start()
    for defect, error in DEFECTS.items():
        rig.bank.faults(broken_status_report=defect)
        await rig.wait_for(partial(_document_error_has, rig, error), what=defect)
        assert await _payment_states(rig) == ["submitted"]
    assert [c["amount"] for c in rig.bank.credits()] == ["250.00"]  # the bank did pay

    rig.bank.faults(broken_status_report=None)
    await rig.wait_for(lambda: rig.settled_is(1), what="settled once the reports are sound")
    await rig.wait_for(rig.quiet, what="quiet")
    assert terminate(gateway) == 0


async def _document_error_has(rig: GatewayRig, error: str) -> bool:
    rows = await rig.rows("SELECT last_error FROM {s}.documents")
    return any(error in (r["last_error"] or "") for r in rows)


async def _payment_states(rig: GatewayRig) -> list[str]:
    return [r["state"] for r in await rig.rows("SELECT state FROM {s}.payments")]
