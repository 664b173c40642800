"""Each answer of the gateway is classified for the sender; the key goes in every call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
from notifier.adapters.sms_gateway import SmsGateway, retry_after
from notifier.errors import GatewayRateLimited, GatewayRefused, GatewayUnavailable, OutcomeUnknown

BODY = {"to": "+994501234567", "text": "Salam", "sender": "142", "callback_url": "http://x/r"}
ACCEPTED = {"message_id": "m-1", "segments": 1, "encoding": "GSM7"}


def gateway(answer: Callable[[httpx.Request], httpx.Response]) -> SmsGateway:
    client = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    return SmsGateway(client, "http://gateway.test/")


async def test_a_202_is_an_acceptance_and_the_key_was_sent() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202, json=ACCEPTED, headers={"Idempotent-Replayed": "true"})

    accepted = await gateway(answer).submit("notice-1", BODY)
    assert (accepted.acceptance.message_id, accepted.replayed) == ("m-1", True)
    assert seen[0].url == "http://gateway.test/v1/messages"
    assert seen[0].headers["Idempotency-Key"] == "notice-1"


async def test_a_429_says_how_long_to_wait() -> None:
    limited = gateway(lambda r: httpx.Response(429, headers={"Retry-After": "3"}))
    with pytest.raises(GatewayRateLimited) as caught:
        await limited.submit("k", BODY)
    assert caught.value.retry_after == 3.0


@pytest.mark.parametrize("status", [500, 503])
async def test_a_5xx_is_a_gateway_not_available(status: int) -> None:
    with pytest.raises(GatewayUnavailable):
        await gateway(lambda r: httpx.Response(status)).submit("k", BODY)


async def test_a_400_is_refused_for_good_with_the_gateway_s_code() -> None:
    refusing = gateway(lambda r: httpx.Response(400, json={"error": "invalid_message"}))
    with pytest.raises(GatewayRefused, match="invalid_message"):
        await refusing.submit("k", BODY)


def _raise(exc: Exception) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        raise exc

    return answer


async def test_a_time_out_leaves_the_outcome_unknown() -> None:
    with pytest.raises(OutcomeUnknown):
        await gateway(_raise(httpx.ReadTimeout("slow"))).submit("k", BODY)


async def test_a_broken_answer_leaves_the_outcome_unknown() -> None:
    with pytest.raises(OutcomeUnknown):
        await gateway(_raise(httpx.RemoteProtocolError("cut"))).submit("k", BODY)
    with pytest.raises(OutcomeUnknown):
        await gateway(lambda r: httpx.Response(202, text='{"message_id": ')).submit("k", BODY)


async def test_no_connection_means_nothing_was_taken() -> None:
    with pytest.raises(GatewayUnavailable):
        await gateway(_raise(httpx.ConnectError("refused"))).submit("k", BODY)


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 3, 2, 6, 0, 0, tzinfo=UTC)
    assert retry_after("7", now) == 7.0
    assert retry_after("Mon, 02 Mar 2026 06:00:30 GMT", now) == 30.0
    assert retry_after("soon", now) == retry_after(None, now) == 1.0
