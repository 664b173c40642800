"""``POST /v1/payments`` and ``GET /v1/payments/{MsgId}/status`` as partners.md says."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
from benefits_shared.clock import FixedClock

DELAY = timedelta(seconds=120)  # the settlement delay set in conftest
Doc = Callable[..., bytes]


async def test_a_credit_is_pending_until_the_delay_passes_then_settles_into_the_ledger(
    bank: httpx.AsyncClient,
    open_account: Any,
    submit: Any,
    document: Doc,
    statuses: Any,
    clock: FixedClock,
) -> None:
    iban = (await open_account())["iban"]
    accepted = await submit(document("MSG1", [("E2E1", iban, "170.32", "Əliyeva Şəbnəm")]), "p1")
    assert accepted.status_code == 202
    assert accepted.json() == {"msg_id": "MSG1", "transactions": 1}
    assert statuses(await bank.get("/v1/payments/MSG1/status")) == {"E2E1": ("PDNG", None)}
    assert (await bank.get("/_sim/ledger")).json() == []
    clock.advance(DELAY)
    assert statuses(await bank.get("/v1/payments/MSG1/status")) == {"E2E1": ("ACSC", None)}
    [credit] = (await bank.get("/_sim/ledger")).json()
    assert (credit["end_to_end_id"], credit["iban"], credit["amount"]) == ("E2E1", iban, "170.32")


async def test_the_status_report_is_a_pain002_with_group_counts(
    bank: httpx.AsyncClient, open_account: Any, submit: Any, document: Doc, clock: FixedClock
) -> None:
    iban = (await open_account())["iban"]
    await submit(
        document(
            "MSG1",
            [("E1", iban, "10.00", "A"), ("E2", "AZ21NABZ00000000137010001944", "5.50", "B")],
        ),
        "p1",
    )
    clock.advance(DELAY)
    report = (await bank.get("/v1/payments/MSG1/status")).text
    assert 'xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"' in report
    for part in (
        "<OrgnlMsgId>MSG1</OrgnlMsgId>",
        "<OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>",
        "<OrgnlNbOfTxs>2</OrgnlNbOfTxs>",
        "<OrgnlCtrlSum>15.50</OrgnlCtrlSum>",
        "<GrpSts>PART</GrpSts>",
        "<DtldNbOfTxs>1</DtldNbOfTxs><DtldSts>ACSC</DtldSts><DtldCtrlSum>10.00</DtldCtrlSum>",
        "<OrgnlPmtInfId>MSG1</OrgnlPmtInfId>",
    ):
        assert part in report


async def test_credits_to_unknown_closed_or_deceased_holders_are_rejected_with_their_code(
    bank: httpx.AsyncClient,
    open_account: Any,
    submit: Any,
    document: Doc,
    statuses: Any,
    clock: FixedClock,
) -> None:
    closed = (await open_account("1AAAAAA"))["iban"]
    dead = (await open_account("2BBBBBB"))["iban"]
    await bank.post("/_sim/accounts/closed", json={"iban": closed})
    await bank.post("/_sim/persons/deceased", json={"pin": "2BBBBBB"})
    unknown = "AZ21NABZ00000000137010001944"
    txs = [("C", closed, "1.00", "x"), ("D", dead, "1.00", "y"), ("U", unknown, "1.00", "z")]
    await submit(document("MSG1", txs), "p1")
    clock.advance(DELAY)
    report = statuses(await bank.get("/v1/payments/MSG1/status"))
    assert report == {"C": ("RJCT", "AC04"), "D": ("RJCT", "MD07"), "U": ("RJCT", "AC01")}
    assert (await bank.get("/_sim/ledger")).json() == []
    assert "<GrpSts>RJCT</GrpSts>" in (await bank.get("/v1/payments/MSG1/status")).text


async def test_an_end_to_end_id_is_paid_at_most_once_across_documents(
    bank: httpx.AsyncClient,
    open_account: Any,
    submit: Any,
    document: Doc,
    statuses: Any,
    clock: FixedClock,
) -> None:
    iban = (await open_account())["iban"]
    await submit(document("MSG1", [("E2E1", iban, "250.00", "Ə")]), "p1")
    second = await submit(
        document("MSG2", [("E2E1", iban, "250.00", "Ə"), ("E2E2", iban, "1.00", "Ə")]), "p2"
    )
    assert second.status_code == 202
    clock.advance(DELAY)
    assert statuses(await bank.get("/v1/payments/MSG2/status")) == {
        "E2E1": ("RJCT", "AM05"),
        "E2E2": ("ACSC", None),
    }
    ledger = (await bank.get("/_sim/ledger")).json()
    assert sorted((c["msg_id"], c["end_to_end_id"]) for c in ledger) == [
        ("MSG1", "E2E1"),
        ("MSG2", "E2E2"),
    ]


async def test_an_end_to_end_id_twice_in_one_document_is_paid_once(
    bank: httpx.AsyncClient, open_account: Any, submit: Any, document: Doc, clock: FixedClock
) -> None:
    iban = (await open_account())["iban"]
    await submit(document("MSG1", [("E2E1", iban, "3.00", "Ə"), ("E2E1", iban, "3.00", "Ə")]), "p1")
    clock.advance(DELAY)
    report = (await bank.get("/v1/payments/MSG1/status")).text
    assert "<TxSts>ACSC</TxSts>" in report and "<Cd>AM05</Cd>" in report
    assert len((await bank.get("/_sim/ledger")).json()) == 1


async def test_a_rejected_end_to_end_id_may_be_sent_again(
    bank: httpx.AsyncClient,
    open_account: Any,
    submit: Any,
    document: Doc,
    statuses: Any,
    clock: FixedClock,
) -> None:
    iban = (await open_account())["iban"]
    await submit(document("MSG1", [("E2E1", "AZ21NABZ00000000137010001944", "3.00", "Ə")]), "p1")
    clock.advance(DELAY)
    await bank.get("/v1/payments/MSG1/status")
    await submit(document("MSG2", [("E2E1", iban, "3.00", "Ə")]), "p2")
    clock.advance(DELAY)
    assert statuses(await bank.get("/v1/payments/MSG2/status")) == {"E2E1": ("ACSC", None)}


async def test_the_same_msg_id_with_the_same_content_pays_nothing_new(
    bank: httpx.AsyncClient, open_account: Any, submit: Any, document: Doc, clock: FixedClock
) -> None:
    iban = (await open_account())["iban"]
    doc = document("MSG1", [("E2E1", iban, "170.32", "Ə")])
    assert (await submit(doc, "p1")).status_code == 202
    assert (await submit(doc.replace(b"10:00:00", b"11:00:00"), "p2")).status_code == 202
    clock.advance(DELAY)
    assert len((await bank.get("/_sim/ledger")).json()) == 1


async def test_the_same_msg_id_with_other_content_is_refused(
    bank: httpx.AsyncClient, open_account: Any, submit: Any, document: Doc
) -> None:
    iban = (await open_account())["iban"]
    await submit(document("MSG1", [("E2E1", iban, "170.32", "Ə")]), "p1")
    answer = await submit(document("MSG1", [("E2E1", iban, "170.33", "Ə")]), "p2")
    assert answer.status_code == 422
    assert "MSG1" in answer.json()["detail"]


async def test_a_repeated_payment_key_with_another_document_is_refused(
    open_account: Any, submit: Any, document: Doc
) -> None:
    iban = (await open_account())["iban"]
    await submit(document("MSG1", [("E2E1", iban, "1.00", "Ə")]), "p1")
    assert (await submit(document("MSG2", [("E2E2", iban, "1.00", "Ə")]), "p1")).status_code == 422


async def test_azerbaijani_names_pass_the_xsd(
    open_account: Any, submit: Any, document: Doc
) -> None:
    iban = (await open_account())["iban"]
    answer = await submit(
        document("MSG1", [("E2E1", iban, "1.00", "Əliyeva Şəbnəm Çingiz qızı")]), "p1"
    )
    assert answer.status_code == 202


async def test_a_document_failing_the_xsd_is_refused(submit: Any, document: Doc) -> None:
    answer = await submit(
        document("M" * 36, [("E2E1", "AZ21NABZ00000000137010001944", "1.00", "x")]), "p1"
    )
    assert answer.status_code == 400
    assert "MsgId" in answer.json()["detail"]


async def test_what_the_xsd_lets_through_is_still_refused(submit: Any, document: Doc) -> None:
    iban = "AZ21NABZ00000000137010001944"
    euro = await submit(document("M1", [("E1", iban, "1.00", "x")], ccy="EUR"), "p1")
    three = await submit(document("M2", [("E1", iban, "1.005", "x")]), "p2")
    sums = await submit(document("M3", [("E1", iban, "1.00", "x")], ctrl_sum="2.00"), "p3")
    assert [a.status_code for a in (euro, three, sums)] == [400, 400, 400]
    assert "AZN" in euro.text and "2 decimals" in three.text and "CtrlSum" in sums.text


async def test_a_payment_that_is_not_xml_is_refused(bank: httpx.AsyncClient) -> None:
    as_json = await bank.post("/v1/payments", json={"a": 1}, headers={"Idempotency-Key": "p1"})
    broken = await bank.post(
        "/v1/payments",
        content=b"<Document>",
        headers={"Idempotency-Key": "p2", "Content-Type": "application/xml"},
    )
    assert (as_json.status_code, broken.status_code) == (400, 400)


async def test_the_status_of_an_unknown_message_is_404(bank: httpx.AsyncClient) -> None:
    assert (await bank.get("/v1/payments/NOPE/status")).status_code == 404
