"""The bank client: what each answer of partners.md means, and the breaker around it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx
import pytest
from bank_gateway.adapters.bank_client import BankClient
from bank_gateway.errors import BankRefused, BankUnavailable, CircuitOpen, MessageNotKnown
from benefits_shared.circuit_breaker import CircuitBreaker

Answer = Callable[[httpx.Request], httpx.Response]
BODY = b'{"pin":"5AB7C9D","full_name":"\xc6liyeva","birth_date":"1990-05-17","phone":null}'


def client(answer: Answer, failures: int = 5) -> tuple[BankClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer(request)

    http = httpx.AsyncClient(transport=httpx.MockTransport(record), base_url="http://bank.test")
    return BankClient(http, CircuitBreaker(failures, open_seconds=60)), seen


async def test_an_account_request_carries_its_key_and_stored_body() -> None:
    opened = {"account_id": "ACC1", "iban": "AZ00SOCB00000000000000000001", "status": "OPEN"}
    bank, seen = client(lambda _: httpx.Response(201, json=opened))
    account = await bank.open_account("key-1", BODY)
    assert (account.account_id, account.created) == ("ACC1", True)
    assert seen[0].headers["Idempotency-Key"] == "key-1"
    assert seen[0].content == BODY
    assert seen[0].headers["Content-Type"] == "application/json"


async def test_a_person_with_an_account_gets_it_again() -> None:
    opened = {"account_id": "ACC1", "iban": "AZ00SOCB00000000000000000001", "status": "OPEN"}
    bank, _ = client(lambda _: httpx.Response(200, json=opened))
    assert not (await bank.open_account("key-1", BODY)).created


@pytest.mark.parametrize("status", [500, 503, 504])
async def test_server_errors_are_an_unknown_outcome(status: int) -> None:
    bank, _ = client(lambda _: httpx.Response(status))
    with pytest.raises(BankUnavailable):
        await bank.submit("k", b"<Document/>")


async def test_too_many_requests_says_when_to_come_back() -> None:
    bank, _ = client(lambda _: httpx.Response(429, headers={"Retry-After": "3"}))
    with pytest.raises(BankUnavailable) as unavailable:
        await bank.submit("k", b"<Document/>")
    assert unavailable.value.retry_after == 3.0


async def test_a_time_out_is_an_unknown_outcome() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("no answer", request=request)

    bank, _ = client(slow)
    with pytest.raises(BankUnavailable):
        await bank.open_account("k", BODY)


async def test_a_refusal_says_the_banks_code_and_is_not_retried() -> None:
    refusal = {"error": "idempotency_key_reused", "detail": "…"}
    bank, _ = client(lambda _: httpx.Response(422, content=json.dumps(refusal)))
    with pytest.raises(BankRefused) as refused:
        await bank.submit("k", b"<Document/>")
    assert (refused.value.status, refused.value.code) == (422, "idempotency_key_reused")


async def test_a_status_read_for_an_unknown_message_says_so() -> None:
    bank, seen = client(lambda _: httpx.Response(404, json={"error": "unknown_message"}))
    with pytest.raises(MessageNotKnown):
        await bank.status("MSG1")
    assert seen[0].url.path == "/v1/payments/MSG1/status"
    assert "Idempotency-Key" not in seen[0].headers


async def test_the_breaker_stops_calls_to_a_failing_bank() -> None:
    bank, seen = client(lambda _: httpx.Response(503), failures=2)
    for _ in range(2):
        with pytest.raises(BankUnavailable):
            await bank.submit("k", b"<Document/>")
    with pytest.raises(CircuitOpen):
        await bank.submit("k", b"<Document/>")
    assert len(seen) == 2


async def test_a_refusal_does_not_count_against_the_bank() -> None:
    bank, seen = client(lambda _: httpx.Response(400, json={"error": "bad_request"}), failures=1)
    for _ in range(3):
        with pytest.raises(BankRefused):
            await bank.submit("k", b"<Document/>")
    assert len(seen) == 3


async def test_a_rate_limited_bank_is_not_an_outage_for_the_breaker() -> None:
    bank, seen = client(lambda _: httpx.Response(429, headers={"Retry-After": "1"}), failures=1)
    for _ in range(3):
        with pytest.raises(BankUnavailable) as unavailable:
            await bank.submit("k", b"<Document/>")
        assert not isinstance(unavailable.value, CircuitOpen)
    assert len(seen) == 3


async def test_a_call_that_hangs_is_asked_again_with_the_same_key_and_body() -> None:
    opened = {"account_id": "ACC1", "iban": "AZ00SOCB00000000000000000001", "status": "OPEN"}
    seen: list[httpx.Request] = []
    breaker = CircuitBreaker(5, open_seconds=60)

    async def first_hangs(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) == 1:
            await asyncio.Event().wait()
        return httpx.Response(200, json=opened)

    http = httpx.AsyncClient(transport=httpx.MockTransport(first_hangs), base_url="http://b")
    bank = BankClient(http, breaker, hedge_after=0.01)
    account = await bank.open_account("key-1", BODY)
    assert (account.account_id, len(seen)) == ("ACC1", 2)
    assert {(r.headers["Idempotency-Key"], r.content) for r in seen} == {("key-1", BODY)}
