"""At night nothing is handed over; at 09:00 the held notices go, paced below the
gateway's rate limit. A grant notice waits for its recipient's account (then names it) up
to the account wait (then goes without it). A death recorded at night stops a notice."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from benefits_shared.clock import BAKU
from benefits_shared.testing import terminate
from notifier_rig import NotifierRig, wait_for
from notifier_scenario import account, decision, mixed_decision, person, pin_of

NIGHT = "2026-03-02T23:30:00+04:00"
MORNING = "2026-03-03T09:00:00+04:00"
SETTINGS = {"account_wait_seconds": "1800", "send_rate": "3"}
GRANT_WITH_ACCOUNT, ALLOWANCE, FUNERAL, DIES_AT_NIGHT = 5, 1, 2, 3


async def test_held_at_night_sent_from_nine_paced_with_accounts_once_open(
    rig: NotifierRig,
) -> None:
    rig.sms.faults(rate_limit=4)
    notifier = rig.start(NIGHT, **SETTINGS)
    await rig.publish([person(i) for i in range(1, 11)])
    await rig.publish([mixed_decision(i) for i in range(1, 9)])
    await wait_for(_recorded(rig, 8), "the night's notices are recorded")
    died = person(DIES_AT_NIGHT, died=date(2026, 3, 2), seq=1)
    await rig.publish([account(GRANT_WITH_ACCOUNT), died])
    await wait_for(_mirrored(rig), "the account and the death are known")
    holds = rig.metric("notifier_quiet_hours_holds_total")
    await wait_for(_metric_above(rig, "notifier_quiet_hours_holds_total", holds), "a quiet pass")
    assert rig.sms.messages() == []
    assert terminate(notifier) == 0

    rig.start(MORNING, **SETTINGS)
    await wait_for(_sent(rig, 7), "the held notices are handed over")
    late_grant = decision(10, "B1")
    await rig.publish([late_grant])
    await wait_for(_waiting_for_account(rig, pin_of(10)), "the late grant waits for its account")
    await rig.publish([account(10)])
    await wait_for(_sent(rig, 8), "the late grant goes once its account is open")

    texts = {
        _pin_of_key(await rig.notices(), m["idempotency_key"]): m["text"]
        for m in rig.sms.messages()
    }
    assert "****4005" in texts[pin_of(GRANT_WITH_ACCOUNT)]
    assert "****4010" in texts[pin_of(10)]
    assert "****" not in texts[pin_of(ALLOWANCE)] and "****" not in texts[pin_of(FUNERAL)]
    assert pin_of(DIES_AT_NIGHT) not in texts
    notices = await rig.notices()
    died = next(r for r in notices.values() if r["recipient_pin"] == pin_of(DIES_AT_NIGHT))
    assert (died["state"], died["reason"]) == ("skipped", "the recipient has died")
    handed = [r["handed_over_at"] for r in notices.values() if r["handed_over_at"] is not None]
    assert handed and all(h == datetime(2026, 3, 3, 9, tzinfo=BAKU) for h in handed)
    assert rig.metric("notifier_gateway_attempts_total") == 8  # none refused, none 429
    assert rig.metric("notifier_sms_segments_count") == 8


def _pin_of_key(notices: dict[str, dict[str, Any]], key: str) -> str:
    return str(notices[key]["recipient_pin"])


def _recorded(rig: NotifierRig, count: int) -> Any:
    async def check() -> bool:
        return int(await rig.scalar("SELECT count(*) FROM {s}.notices")) == count

    return check


def _mirrored(rig: NotifierRig) -> Any:
    async def check() -> bool:
        died = await rig.scalar(
            f"SELECT died_on FROM {{s}}.persons WHERE pin = '{pin_of(DIES_AT_NIGHT)}'"
        )
        return died is not None and await rig.scalar("SELECT count(*) FROM {s}.accounts") == 1

    return check


def _metric_above(rig: NotifierRig, name: str, value: float) -> Any:
    async def check() -> bool:
        return rig.metric(name) > value

    return check


def _sent(rig: NotifierRig, count: int) -> Any:
    async def check() -> bool:
        return len(rig.sms.messages()) >= count

    return check


def _waiting_for_account(rig: NotifierRig, pin: str) -> Any:
    async def check() -> bool:
        rows = await rig.rows(
            f"SELECT state, request, send_after FROM {{s}}.notices WHERE recipient_pin = '{pin}'"
        )
        return bool(rows) and rows[0]["state"] == "pending" and rows[0]["request"] is None

    return check
