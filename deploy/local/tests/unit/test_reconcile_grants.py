"""The main job's reconciliation of one-time grants: paid once per recipient and amount, a
grant paid anew recovers the earlier payment, the final decision is what is paid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from devstack.observe import Record
from devstack.reconcile import grant_checks


def settled(payment: str, case: str, pin: str, amount: str) -> dict[str, Any]:
    return {"payment_id": payment, "case_id": case, "recipient_pin": pin, "amount": amount}


def decision(case: str, pin: str, amount: str) -> dict[str, Any]:
    return {"case_id": case, "recipient": {"pin": pin}, "amount": Decimal(amount)}


def recovery(case: str) -> Record:
    return Record("az.gov.benefits.recovery-opened.v1", {"recovery_id": case, "case_id": case}, 0)


def verdicts(
    final: dict[str, Any], paid: list[dict[str, Any]], payments: list[Record]
) -> list[bool]:
    checks = grant_checks(final, list(final), {p["payment_id"]: p for p in paid}, payments)
    return [c.ok for c in checks]


def test_a_grant_corrected_to_another_mother_is_paid_to_her_and_recovers_the_first() -> None:
    final = {"B1:x": decision("B1:x", "MUM0002", "200.00")}
    paid = [settled("p1", "B1:x", "MUM0001", "200.00"), settled("p2", "B1:x", "MUM0002", "200.00")]
    assert verdicts(final, paid, [recovery("B1:x")]) == [True, True, True]
    assert verdicts(final, paid, []) == [True, False, True]


def test_a_grant_not_paid_as_finally_decided_is_found() -> None:
    final = {"B1:x": decision("B1:x", "MUM0002", "200.00")}
    paid = [settled("p1", "B1:x", "MUM0001", "200.00")]
    assert verdicts(final, paid, [])[2] is False


def test_a_lowered_grant_kept_its_payment_and_recovers_the_difference() -> None:
    final = {"B1:x": decision("B1:x", "MUM0001", "200.00")}
    paid = [settled("p1", "B1:x", "MUM0001", "250.00")]
    assert verdicts(final, paid, [recovery("B1:x")]) == [True, True, True]
    assert verdicts(final, paid, [])[2] is False
