"""The bank's bad days, switched on and off through ``/_sim/faults``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from benefits_shared.clock import FixedClock
from benefits_shared.iso20022 import read_document
from pyiso20022.pain.pain_002_001_10 import Document

PERSON = {
    "pin": "5AB7C9D",
    "full_name": "Əliyeva Şəbnəm",
    "birth_date": "1990-05-17",
    "phone": None,
}
KEY = {"Idempotency-Key": "k1"}


async def faults(bank: httpx.AsyncClient, **change: object) -> None:
    answer = await bank.post("/_sim/faults", json=change)
    assert answer.status_code == 200, answer.text


async def count_accounts(bank: httpx.AsyncClient) -> int:
    return len((await bank.get("/_sim/accounts")).json())


async def test_an_outage_answers_503_until_it_ends_while_the_controls_stay_up(
    bank: httpx.AsyncClient,
) -> None:
    await faults(bank, outage=True)
    assert (await bank.post("/v1/accounts", json=PERSON, headers=KEY)).status_code == 503
    assert (await bank.get("/v1/payments/M/status")).status_code == 503
    assert (await bank.get("/_sim/health")).json() == {"status": "ok"}
    await faults(bank, outage=False)
    assert (await bank.post("/v1/accounts", json=PERSON, headers=KEY)).status_code == 201


async def test_a_5xx_does_no_work_so_the_retry_with_the_same_key_does_it(
    bank: httpx.AsyncClient,
) -> None:
    await faults(bank, error_rate=1.0)
    failed = await bank.post("/v1/accounts", json=PERSON, headers=KEY)
    assert failed.status_code in (500, 503)
    assert await count_accounts(bank) == 0
    await faults(bank, error_rate=0.0)
    assert (await bank.post("/v1/accounts", json=PERSON, headers=KEY)).status_code == 201


async def test_a_time_out_after_the_work_is_answered_by_the_retry_with_the_first_answer(
    bank: httpx.AsyncClient,
) -> None:
    await faults(bank, timeout_rate=1.0, timeout_hold_seconds=0)
    lost = await bank.post("/v1/accounts", json=PERSON, headers=KEY)
    assert lost.status_code == 504
    assert await count_accounts(bank) == 1
    await faults(bank, timeout_rate=0.0)
    retry = await bank.post("/v1/accounts", json=PERSON, headers=KEY)
    assert retry.status_code == 201
    assert retry.json()["iban"] == (await bank.get("/_sim/accounts")).json()[0]["iban"]


async def test_over_the_rate_limit_the_bank_answers_429_with_retry_after(
    bank: httpx.AsyncClient, clock: FixedClock
) -> None:
    await faults(bank, rate_limit_per_second=2, retry_after_seconds=3)
    answers = [await bank.get("/v1/payments/M/status") for _ in range(3)]
    assert [a.status_code for a in answers] == [404, 404, 429]
    assert answers[2].headers["Retry-After"] == "3"
    clock.advance(timedelta(seconds=1))
    assert (await bank.get("/v1/payments/M/status")).status_code == 404


async def test_a_429_at_random_does_no_work_and_says_when_to_come_back(
    bank: httpx.AsyncClient,
) -> None:
    await faults(bank, rate_limited_rate=1.0, retry_after_seconds=2)
    refused = await bank.post("/v1/accounts", json=PERSON, headers=KEY)
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "2")
    assert await count_accounts(bank) == 0
    await faults(bank, rate_limited_rate=0.0)
    assert (await bank.post("/v1/accounts", json=PERSON, headers=KEY)).status_code == 201


async def test_some_requests_fail_at_a_partial_error_rate(bank: httpx.AsyncClient) -> None:
    await faults(bank, error_rate=0.5)
    codes = [(await bank.get("/v1/payments/M/status")).status_code for _ in range(40)]
    assert set(codes) >= {404} and set(codes) & {500, 503}


async def test_the_fault_settings_can_be_read_and_are_validated(bank: httpx.AsyncClient) -> None:
    await faults(bank, error_rate=0.25)
    current = (await bank.get("/_sim/faults")).json()
    assert current["error_rate"] == 0.25 and current["outage"] is False
    assert (await bank.post("/_sim/faults", json={"error_rate": 2})).status_code == 422
    assert (await bank.post("/_sim/faults", json={"nonsense": 1})).status_code == 422
    assert (await bank.get("/_sim/faults")).json() == current


async def test_closing_an_unknown_account_is_404(bank: httpx.AsyncClient) -> None:
    answer = await bank.post("/_sim/accounts/closed", json={"iban": "AZ21NABZ00000000137010001944"})
    assert answer.status_code == 404


async def report_on_one_credit(
    bank: httpx.AsyncClient, open_account: Any, submit: Any, document: Any, clock: FixedClock
) -> bytes:
    iban = (await open_account())["iban"]
    await submit(document("MSG1", [("E1", iban, "10.00", "A")]), "p1")
    clock.advance(timedelta(seconds=120))  # the settlement delay set in conftest
    answer = await bank.get("/v1/payments/MSG1/status")
    assert answer.status_code == 200
    return answer.content


async def test_the_reports_the_bank_sends_are_valid_pain002_documents(
    bank: httpx.AsyncClient, open_account: Any, submit: Any, document: Any, clock: FixedClock
) -> None:
    report = await report_on_one_credit(bank, open_account, submit, document, clock)
    parsed = read_document(report, Document).cstmr_pmt_sts_rpt
    assert parsed.orgnl_grp_inf_and_sts.orgnl_msg_id == "MSG1"
    assert [t.tx_sts for t in parsed.orgnl_pmt_inf_and_sts[0].tx_inf_and_sts] == ["ACSC"]


@pytest.mark.parametrize(
    ("defect", "present", "absent"),
    [
        ("schema_invalid", b"<Surprise>", b""),
        ("missing_status", b"<OrgnlEndToEndId>E1</OrgnlEndToEndId>", b"<TxSts>"),
        ("unknown_status", b"<TxSts>PAID</TxSts>", b"<TxSts>ACSC"),
        ("other_message", b"<OrgnlMsgId>NOT-YOURS</OrgnlMsgId>", b"<OrgnlMsgId>MSG1<"),
    ],
)
async def test_a_faulty_bank_breaks_its_reports_as_asked(
    bank: httpx.AsyncClient,
    open_account: Any,
    submit: Any,
    document: Any,
    clock: FixedClock,
    defect: str,
    present: bytes,
    absent: bytes,
) -> None:
    await faults(bank, broken_status_report=defect)
    report = await report_on_one_credit(bank, open_account, submit, document, clock)
    assert present in report
    assert not absent or absent not in report


async def test_an_unknown_way_of_breaking_reports_is_refused(bank: httpx.AsyncClient) -> None:
    answer = await bank.post("/_sim/faults", json={"broken_status_report": "garbled"})
    assert answer.status_code == 422
