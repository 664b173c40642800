"""The main job counts from our own topics: payments at the bank and notices handed to
the SMS gateway, whatever the partners are; the summary names the partner comparisons
that did not run."""

from __future__ import annotations

import json
from typing import Any

from devstack.flow import Flow
from devstack.observe import Record
from devstack.reconcile import summarise
from devstack.summary_view import summary_json


def event(kind: str, **value: Any) -> Record:
    return Record(f"az.gov.benefits.{kind}.v1", value, 0)


def payment(kind: str, payment_id: str) -> Record:
    return event(
        kind,
        payment_id=payment_id,
        case_id=f"B1:{payment_id}",
        recipient_pin="PIN0001",
        amount="200.00",
        reason_code="AC04",
    )


def notice(notice_id: str, state: str, segments: int | None = 1) -> Record:
    return event(
        "notice-changed", notice_id=notice_id, decision_id="d", state=state, segments=segments
    )


def test_a_payment_the_bank_took_is_in_flight_until_settled_or_rejected() -> None:
    flow = Flow()
    flow.add([payment("payment-submitted", "p1"), payment("payment-submitted", "p2")])
    assert (flow.in_flight, flow.settled) == (2, 0)
    flow.add([payment("payment-settled", "p1"), payment("payment-rejected", "p2")])
    assert (flow.in_flight, flow.settled) == (0, 1)


def test_a_payment_submitted_again_after_a_rejection_is_in_flight_again() -> None:
    flow = Flow()
    flow.add([payment("payment-submitted", "p1"), payment("payment-rejected", "p1")])
    flow.add([payment("payment-submitted", "p1")])
    assert flow.in_flight == 1


def test_an_sms_counts_once_when_the_gateway_took_it_whatever_became_of_it() -> None:
    flow = Flow()
    flow.add(
        [
            notice("n1", "accepted", 2),
            notice("n1", "delivered", None),
            notice("n2", "failed"),
            notice("n3", "skipped", None),
        ]
    )
    assert (flow.sms, flow.segments) == (2, 3)


def test_other_events_on_our_topics_change_nothing() -> None:
    flow = Flow()
    flow.add([event("account-opened", account_id="a"), Record("", {}, 0)])
    assert flow.snapshot() == (0, 0, 0, 0)


def test_the_summary_counts_from_our_topics_and_names_the_partner_checks_not_run() -> None:
    payments = [payment("payment-submitted", "p1"), payment("payment-settled", "p1")]
    s = summarise([], payments, [notice("n1", "accepted", 2)], None, None, None, {})
    assert (s.paid["B1"][0], s.sms, s.segments) == (1, 1, 2)
    assert s.reconciled
    assert [line.split(":")[0] for line in s.not_run] == [
        "the bank's ledger against our settled payments",
        "the bank's accounts against our accounts opened",
        "the SMS gateway's log against our notices",
    ]


def test_the_summary_is_not_reconciled_while_a_payment_waits_at_the_bank() -> None:
    s = summarise([], [payment("payment-submitted", "p1")], [], None, None, None, {})
    assert not s.reconciled
    assert [c.detail for c in s.checks if not c.ok] == ["1 without an outcome"]


def test_with_our_simulators_every_partner_comparison_runs() -> None:
    s = summarise([], [], [], [], [], [], {})
    assert s.not_run == []
    assert s.reconciled


def test_the_summary_as_json_keeps_amounts_exact_and_says_what_did_not_run() -> None:
    payments = [payment("payment-submitted", "p1"), payment("payment-settled", "p1")]
    s = summarise([], payments, [], None, [], [], {})
    found = json.loads(json.dumps(summary_json(s)))
    assert found["paid"]["B1"] == {"payments": 1, "azn": "200.00"}
    assert found["reconciled"] is True
    assert [line.split(":")[0] for line in found["not_run"]] == [
        "the bank's ledger against our settled payments"
    ]
