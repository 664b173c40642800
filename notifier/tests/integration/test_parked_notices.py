"""Bounded attempts (ADR 12): a notice whose gateway always fails is parked as
undeliverable, said on ``notices``; a retry command from ops, once the gateway is back,
sends it exactly once, with the same key and body; a repeated retry changes nothing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from benefits_shared.contracts.ops import RetryNotice
from benefits_shared.kafka.admin import ensure_topics
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.topics import Topic
from notifier_rig import NotifierRig, wait_for
from notifier_scenario import decision, person

MORNING = "2026-03-03T10:00:00+04:00"
FAST = {
    "account_wait_seconds": "0",
    "max_attempts": "3",
    "backoff_initial_seconds": "0.05",
    "backoff_max_seconds": "0.1",
    "breaker_cooldown_seconds": "0.05",
}


async def _ops_topics(rig: NotifierRig) -> dict[str, str]:
    suffix = rig.group.removeprefix("notifier-")
    topics = {
        "ops_commands_topic": f"ops-commands-{suffix}",
        "ops_replies_topic": f"ops-replies-{suffix}",
    }
    await ensure_topics(rig.bootstrap, [Topic(name, 3) for name in topics.values()])
    return {**topics, "ops_group": f"{rig.group}-ops"}


async def _send(rig: NotifierRig, topic: str, command: RetryNotice) -> None:
    producer = idempotent_producer(rig.bootstrap, "test-ops")
    await producer.start()
    try:
        event = command.to_cloudevent("/ops", datetime.now(UTC), None)
        await producer.send_and_wait(
            topic, value=event.value(), key=command.command_id.encode(), headers=event.headers()
        )
    finally:
        await producer.stop()


async def _replies(rig: NotifierRig, topic: str) -> list[dict[str, Any]]:
    reader = safe_consumer(rig.bootstrap, None, topic)
    await reader.start()
    out: list[dict[str, Any]] = []
    try:
        while batch := await reader.getmany(timeout_ms=1500):
            for records in batch.values():
                out.extend(json.loads(r.value) for r in records)
    finally:
        await reader.stop()
    return out


def _state_is(rig: NotifierRig, state: str) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return [n["state"] for n in (await rig.notices()).values()] == [state]

    return check


def _answered(rig: NotifierRig, topic: str, command_id: str) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return any(r["command_id"] == command_id for r in await _replies(rig, topic))

    return check


def _retry(notice_id: str, command_id: str | None = None) -> RetryNotice:
    return RetryNotice(
        command_id=command_id or str(uuid.uuid4()),
        requested_by="test",
        reason="the gateway is back",
        notice_id=notice_id,
    )


async def test_a_notice_the_gateway_never_takes_is_parked_then_sent_once_on_retry(
    rig: NotifierRig,
) -> None:
    ops = await _ops_topics(rig)
    rig.sms.faults(outage=True)
    rig.start(MORNING, **FAST, **ops)
    await rig.publish([person(1)])
    await rig.publish([decision(1, "B3")])

    await wait_for(_state_is(rig, "parked"), "the notice is parked")
    [parked] = (await rig.notices()).values()
    assert (parked["attempts"], parked["failures"]) == (3, 3)
    events = [e for e in await rig.notice_events() if "attempts" in e]
    assert [(e["notice_id"], e["attempts"]) for e in events] == [(parked["notice_id"], 3)]
    assert rig.sms.messages() == []

    rig.sms.faults(outage=False)
    assert (await rig.notices())[parked["notice_id"]]["state"] == "parked"  # not by itself
    retry = _retry(parked["notice_id"])
    await _send(rig, ops["ops_commands_topic"], retry)
    await _send(rig, ops["ops_commands_topic"], retry)  # delivered twice: run once
    await wait_for(_state_is(rig, "delivered"), "the retried notice is delivered")
    again = _retry(parked["notice_id"])
    await _send(rig, ops["ops_commands_topic"], again)
    await wait_for(_answered(rig, ops["ops_replies_topic"], again.command_id), "the answer")

    messages = rig.sms.messages()
    assert [m["idempotency_key"] for m in messages] == [parked["notice_id"]]
    answers = {r["command_id"]: r["outcome"] for r in await _replies(rig, ops["ops_replies_topic"])}
    assert answers == {retry.command_id: "retried", again.command_id: "not_parked"}
    replies = [r for r in await _replies(rig, ops["ops_replies_topic"])]
    assert len(replies) == 2
