"""A citizen told that money will be transferred is paid it, or told otherwise (policy.md,
Bank): a grant's payment cancelled by the bank gateway after its recipient was told of it
brings them one ``b1_withdrawn`` SMS; one cancelled before it was told brings nothing.
Real Kafka, PostgreSQL, SMS-gateway simulator and notifier processes; the notifier is
SIGKILLed and every event published again: still one SMS each."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from benefits_shared.contracts.payments import PaymentCancelled
from benefits_shared.testing import kill
from notifier.notice_fields import reference_of
from notifier_rig import NotifierRig, wait_for
from notifier_scenario import account, decision, person, pin_of

DAY = "2026-03-03T10:00:00+04:00"
FIRST, CORRECTED, NOT_YET_TOLD, REVOKED_AFTER = 5, 7, 8, 11  # all but 7 read English


def cancelled(told: Any, by: Any, reason: str) -> PaymentCancelled:
    return PaymentCancelled(
        payment_id=f"00000000-0000-0000-0000-0000000000{told.recipient.pin[-2:]}",
        decision_id=told.decision_id,
        case_id=told.case_id,
        recipient_pin=told.recipient.pin,
        amount=Decimal("250.00"),
        cancelled_by=by.decision_id,
        reason=reason,
    )


async def test_a_person_told_of_a_grant_no_longer_paid_to_them_is_told_otherwise_once(
    rig: NotifierRig,
) -> None:
    notifier = rig.start(DAY, account_wait_seconds="1800")
    people = (FIRST, CORRECTED, NOT_YET_TOLD, REVOKED_AFTER)
    await rig.publish([person(i, language="en") for i in people])
    first, revoked_after = decision(FIRST, "B1"), decision(REVOKED_AFTER, "B1")
    not_yet_told = decision(NOT_YET_TOLD, "B1")  # its account never opens: it waits
    await rig.publish([first, revoked_after, not_yet_told, account(FIRST), account(REVOKED_AFTER)])
    await wait_for(_sent(rig, 2), "the two announcements with an account are sent")

    corrected = decision(CORRECTED, "B1", case_id=first.case_id, supersedes=first.decision_id)
    revoked = decision(
        REVOKED_AFTER,
        "B1",
        "revoked",
        recipient=None,
        amount=None,
        supersedes=revoked_after.decision_id,
    )
    withdrawn_early = decision(
        NOT_YET_TOLD,
        "B1",
        "revoked",
        recipient=None,
        amount=None,
        supersedes=not_yet_told.decision_id,
    )
    cancellations = [
        cancelled(not_yet_told, withdrawn_early, "withdrawn"),  # before its decision comes
        cancelled(first, corrected, "recipient-changed"),
        cancelled(revoked_after, revoked, "withdrawn"),
    ]
    await rig.publish(cancellations)
    await rig.publish([corrected, revoked, withdrawn_early, account(CORRECTED)])
    await wait_for(_sent(rig, 5), "two withdrawals and the corrected recipient's announcement")
    kill(notifier)

    # Everything again, and the first cancellation told once more by a later decision.
    again = cancellations[1].model_copy(update={"cancelled_by": "a-later-decision"})
    rig.start(DAY, account_wait_seconds="1800")
    await rig.publish([*cancellations, again, first, corrected, revoked, revoked_after])
    again_id = again.to_cloudevent("/test", datetime.now(UTC), None).id
    await wait_for(_consumed(rig, again_id), "the repeated cancellation applied")
    await wait_for(_all_final(rig), "nothing left to send")

    messages = rig.sms.messages()
    notices = await rig.notices()
    sent = sorted(
        (notices[m["idempotency_key"]]["recipient_pin"], notices[m["idempotency_key"]]["kind"])
        for m in messages
    )
    assert sent == sorted(
        [
            (pin_of(FIRST), "b1_assigned"),
            (pin_of(FIRST), "b1_withdrawn"),
            (pin_of(CORRECTED), "b1_assigned"),
            (pin_of(REVOKED_AFTER), "b1_assigned"),
            (pin_of(REVOKED_AFTER), "b1_withdrawn"),
        ]
    )
    texts = {notices[m["idempotency_key"]]["notice_id"]: m["text"] for m in messages}
    for row in notices.values():
        if row["kind"] == "b1_withdrawn":
            told = first if row["recipient_pin"] == pin_of(FIRST) else revoked_after
            assert row["decision_id"] == told.decision_id
            assert "250.00 AZN announced to you will not be paid to you" in texts[row["notice_id"]]
            assert reference_of(told) in texts[row["notice_id"]]
            assert "****40" in texts[row["notice_id"]]  # nothing goes to that account
    never_told = [r for r in notices.values() if r["recipient_pin"] == pin_of(NOT_YET_TOLD)]
    assert [(r["kind"], r["state"]) for r in never_told] == [("b1_assigned", "skipped")]
    assert "payment was cancelled" in never_told[0]["reason"]
    assert len(notices) == 6


def _sent(rig: NotifierRig, count: int) -> Any:
    async def check() -> bool:
        return len(rig.sms.messages()) >= count

    return check


def _consumed(rig: NotifierRig, event_id: str) -> Any:
    async def check() -> bool:
        seen = f"SELECT count(*) FROM {{s}}.inbox WHERE event_id = '{event_id}'"
        return int(await rig.scalar(seen)) == 1

    return check


def _all_final(rig: NotifierRig) -> Any:
    async def check() -> bool:
        waiting = "SELECT count(*) FROM {s}.notices WHERE state = 'pending'"
        return int(await rig.scalar(waiting)) == 0

    return check
