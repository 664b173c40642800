"""POST /v1/messages as partners.md describes it: idempotency, segments, faults."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

AZ_TEXT = "Sizə uşağın doğulmasına görə birdəfəlik müavinət təyin edildi: 250,00 AZN."


async def test_a_message_is_accepted_with_its_segments_and_encoding(sim: Any) -> None:
    # 74 UTF-16 units of Azerbaijani (ə ğ ş are not GSM-7): 67 + 7, two UCS2 segments.
    answer = await sim.send(text=AZ_TEXT)
    assert answer.status_code == 202
    body = answer.json()
    assert body == {"message_id": body["message_id"], "segments": 2, "encoding": "UCS2"}
    assert body["message_id"]


async def test_an_english_text_with_a_euro_sign_is_gsm7(sim: Any) -> None:
    # 160 septets: 158 letters + € (ESC + e): still one segment; one more letter makes two.
    assert (await sim.send("k1", text="a" * 158 + "€")).json()["segments"] == 1
    second = (await sim.send("k2", text="a" * 159 + "€")).json()
    assert (second["encoding"], second["segments"]) == ("GSM7", 2)


async def test_an_accepted_message_is_listed_with_its_key(sim: Any) -> None:
    answer = (await sim.send("notice-42", text=AZ_TEXT)).json()
    [message] = await sim.messages()
    assert message == {
        "message_id": answer["message_id"],
        "idempotency_key": "notice-42",
        "to": "+994501234567",
        "text": AZ_TEXT,
        "sender": "142",
        "callback_url": "http://callbacks.test/reports",
        "segments": 2,
        "encoding": "UCS2",
        "accepted_at": "2026-03-02T10:00:00+04:00",
    }


async def test_a_repeated_key_gets_the_first_answer_again(sim: Any) -> None:
    first = await sim.send("notice-1")
    again = await sim.send("notice-1")
    assert again.status_code == 202
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(await sim.messages()) == 1


async def test_a_repeated_key_with_another_body_is_refused(sim: Any) -> None:
    await sim.send("notice-1", text="first")
    answer = await sim.send("notice-1", text="second")
    assert answer.status_code == 422
    assert answer.json()["error"] == "idempotency_key_reused"
    assert [m["text"] for m in await sim.messages()] == ["first"]


async def test_a_message_without_an_idempotency_key_is_refused(sim: Any) -> None:
    answer = await sim.send(None)
    assert answer.status_code == 400
    assert answer.json()["error"] == "idempotency_key_missing"
    assert await sim.messages() == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("to", "0501234567"), ("to", "+7 900 123 45 67"), ("text", ""), ("callback_url", "ftp://x")],
)
async def test_a_body_outside_the_spec_is_refused(sim: Any, field: str, value: str) -> None:
    body = {"to": "+994501234567", "text": "Salam", "sender": "142", "callback_url": "http://a/b"}
    answer = await sim.client.post(
        "/v1/messages", json={**body, field: value}, headers={"Idempotency-Key": "k"}
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_message"
    assert await sim.messages() == []


async def test_over_the_rate_limit_the_gateway_answers_429_with_retry_after(
    start_sim: Any,
) -> None:
    sim = await start_sim(rate_limit=2)
    assert [(await sim.send(f"k{i}")).status_code for i in range(2)] == [202, 202]
    refused = await sim.send("k2")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    sim.ticker.now += 1.0
    assert (await sim.send("k2")).status_code == 202
    assert len(await sim.messages()) == 3


async def test_a_429_at_random_accepts_nothing_and_says_when_to_come_back(
    start_sim: Any,
) -> None:
    sim = await start_sim(rate_limited_rate=1.0, rate_limited_retry_after=3)
    refused = await sim.send("notice-1")
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "3")
    assert await sim.messages() == []
    await sim.faults(rate_limited_rate=0.0)
    assert (await sim.send("notice-1")).status_code == 202


async def test_a_server_error_accepts_nothing_and_the_same_key_passes_later(
    start_sim: Any,
) -> None:
    sim = await start_sim(server_error_rate=1.0)
    failed = await sim.send("notice-1")
    assert failed.status_code in {500, 503}
    assert await sim.messages() == []
    await sim.faults(server_error_rate=0.0)
    assert (await sim.send("notice-1")).status_code == 202


async def test_during_an_outage_every_message_is_refused_until_it_ends(sim: Any) -> None:
    assert (await sim.faults(outage=True)).json()["outage"] is True
    assert (await sim.send("notice-1")).status_code == 503
    assert (await sim.client.get("/_sim/health")).status_code == 200
    await sim.faults(outage=False)
    assert (await sim.send("notice-1")).status_code == 202


async def test_a_time_out_after_accept_keeps_the_message_and_a_retry_replays_it(
    start_sim: Any,
) -> None:
    sim = await start_sim(timeout_rate=1.0, timeout_seconds=3600)
    hanging = asyncio.create_task(sim.send("notice-1", text="late"))
    async with asyncio.timeout(10):
        while not await sim.messages():
            await asyncio.sleep(0.01)
    assert not hanging.done()
    await sim.faults(timeout_rate=0.0)
    retry = await sim.send("notice-1", text="late")
    assert retry.status_code == 202
    [message] = await sim.messages()
    assert retry.json()["message_id"] == message["message_id"]
    hanging.cancel()


async def test_faults_change_at_run_time_and_nonsense_is_refused(sim: Any) -> None:
    assert (await sim.faults(server_error_rate=1.5)).status_code == 422
    assert (await sim.faults(no_such_fault=True)).status_code == 422
    assert (await sim.client.get("/_sim/faults")).json()["server_error_rate"] == 0.0
    changed = (await sim.faults(rate_limit=5, lost_report_rate=0.25)).json()
    assert (changed["rate_limit"], changed["lost_report_rate"]) == (5.0, 0.25)
