"""Every due notice reaches the real gateway simulator exactly once, though the gateway
fails (5xx, answers that never come after it took the message, 429) and the notifier is
killed with SIGKILL mid-run; never to the dead, never without a phone, never with a PIN."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from benefits_shared.testing import kill, terminate
from notifier.notice_ids import notice_id
from notifier.notice_kinds import notice_kind
from notifier_rig import NotifierRig, wait_for
from notifier_scenario import account, decision, mixed_decision, person, phone_of, pin_of

PEOPLE = range(1, 31)
DEAD, NO_PHONE, NEW_PHONE = 29, 30, 28
MOVED_TO = "+994559999999"
FAULTS = {
    "server_error_rate": 0.1,
    "timeout_rate": 0.15,
    "timeout_seconds": 1.5,
    "rate_limit": 6,
    "duplicate_report_rate": 0.3,
}
NOTIFIER = {
    "account_wait_seconds": "0",
    "send_rate": "20",
    "gateway_timeout_seconds": "0.5",
    "backoff_initial_seconds": "0.1",
    "backoff_max_seconds": "0.5",
    "breaker_failures": "4",
    "breaker_cooldown_seconds": "0.5",
}
MORNING = "2026-03-02T10:00:00+04:00"


def _persons() -> list[Any]:
    out = [person(i) for i in PEOPLE if i not in (DEAD, NO_PHONE, NEW_PHONE)]
    return [
        *out,
        person(DEAD, died=date(2026, 2, 20), seq=3),
        person(NO_PHONE, phone=None, seq=2),
        person(NEW_PHONE, seq=0),
        person(NEW_PHONE, phone=MOVED_TO, seq=5),
    ]


async def _count(rig: NotifierRig, table: str) -> int:
    return int(await rig.scalar(f"SELECT count(*) FROM {{s}}.{table}"))


async def test_every_due_notice_is_accepted_once_through_faults_and_kills(
    rig: NotifierRig,
) -> None:
    decisions = [mixed_decision(i) for i in PEOPLE]
    rejected = [decision(i, "B1", "rejected", amount=None) for i in (1, 2, 3)]
    rig.sms.faults(**FAULTS)
    notifier = rig.start(MORNING, **NOTIFIER)
    await rig.publish([*_persons(), *(account(i) for i in PEOPLE if i % 2 == 0)])

    async def mirrored() -> bool:
        return await _count(rig, "persons") == 30 and await _count(rig, "accounts") == 15

    await wait_for(mirrored, "the persons and accounts are mirrored")
    await rig.publish([*decisions, *rejected, *decisions[:5]])
    for at_least in (6, 16):
        await wait_for(_sent(rig, at_least), f"{at_least} messages were accepted")
        kill(notifier)
        notifier = rig.start(MORNING, **NOTIFIER)
    reachable = [d for d in decisions if pin_of(DEAD) != _pin(d) != pin_of(NO_PHONE)]
    expected = {notice_id(d.decision_id, notice_kind(d)): d for d in reachable}  # type: ignore[arg-type]
    await wait_for(_handed_over(rig, set(expected)), "every reachable notice was handed over")
    await wait_for(_reports_applied(rig), "every report taken moved its notice", 60)
    await wait_for(_relayed(rig), "every notice event is published")
    assert terminate(notifier) == 0

    messages = rig.sms.messages()
    keys = [m["idempotency_key"] for m in messages]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(expected)
    notices = await rig.notices()
    assert len(notices) == len(decisions)  # one per decision; none for the rejections
    for m in messages:
        stored = notices[m["idempotency_key"]]
        assert stored["message_id"] == m["message_id"]
        assert (stored["encoding"], stored["segments"]) == (m["encoding"], m["segments"])
        assert not any(pin_of(i) in m["text"] for i in PEOPLE)
        assert not re.search(r"\d{12,}", m["text"])
        assert m["to"] != phone_of(DEAD)
    by_pin = {_pin(expected[m["idempotency_key"]]): m for m in messages}
    assert by_pin[pin_of(NEW_PHONE)]["to"] == MOVED_TO
    assert all(("****" in m["text"]) == (int(pin[4:]) % 2 == 0) for pin, m in by_pin.items())
    skipped = {r["recipient_pin"]: r["reason"] for r in notices.values() if r["state"] == "skipped"}
    assert skipped == {
        pin_of(DEAD): "the recipient has died",
        pin_of(NO_PHONE): "the recipient has no phone",
    }
    await _check_events(rig, notices)


def _pin(d: Any) -> str:
    return str(d.recipient.pin)


def _sent(rig: NotifierRig, at_least: int) -> Any:
    async def check() -> bool:
        return len(rig.sms.messages()) >= at_least

    return check


def _handed_over(rig: NotifierRig, expected: set[str]) -> Any:
    async def check() -> bool:
        rows = await rig.rows("SELECT notice_id FROM {s}.notices WHERE message_id IS NOT NULL")
        return {r["notice_id"] for r in rows} == expected

    return check


def _reports_applied(rig: NotifierRig) -> Any:
    async def check() -> bool:
        taken = {r["message_id"] for r in rig.sms.reports()}
        rows = await rig.rows("SELECT message_id FROM {s}.notices WHERE state = 'delivered'")
        # A report the gateway saw taken has moved its notice. (The converse can fail: a
        # notifier killed after its commit and before its answer took a report the
        # gateway may then give up on.)
        return bool(taken) and taken <= {r["message_id"] for r in rows}

    return check


def _relayed(rig: NotifierRig) -> Any:
    async def check() -> bool:
        return await rig.scalar("SELECT count(*) FROM {s}.outbox WHERE published_at IS NULL") == 0

    return check


async def _check_events(rig: NotifierRig, notices: dict[str, dict[str, Any]]) -> None:
    """Each state a notice reached is one event; what the relay published is on the topic."""
    outbox = await rig.rows("SELECT event_id, value, published_at FROM {s}.outbox")
    changes = [json.loads(r["value"]) for r in outbox]
    queued = {(c["notice_id"], c["state"]) for c in changes}
    assert len(queued) == len(outbox)
    for row in notices.values():
        assert (row["notice_id"], row["state"]) in queued
        if row["message_id"] is not None:
            assert (row["notice_id"], "accepted") in queued
    events = await rig.notice_events()
    assert len({e["ce_id"] for e in events}) == len(events)
    published = {r["event_id"] for r in outbox if r["published_at"] is not None}
    assert published <= {e["ce_id"] for e in events}
