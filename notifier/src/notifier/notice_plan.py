"""What becomes of a decision's notice when it is recorded, before any sending.

A notice that cannot be sent is recorded as skipped with the reason (no recipient, dead,
no phone, no text can be made), so ops see why. Otherwise it is pending: at once, or, for
a notice that announces the payment while the recipient's account is not open yet, after
the account wait (it goes without the account sentence if the account is still not open).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from benefits_shared.contracts.decisions import BenefitDecided
from benefits_shared.contracts.payments import AccountOpened

from notifier.errors import NoticeNotRenderable
from notifier.notice_kinds import NoticeKind, waits_for_account
from notifier.notice_states import NoticeState
from notifier.outgoing_sms import Sending, prepare
from notifier.reachability import MirroredPerson, Unreachable, contact_of

# Rendering is checked at record time with a stand-in for the request's envelope.
_CHECK = Sending(sender="142", callback_url="http://check.invalid/")


@dataclass(frozen=True, slots=True)
class NoticePlan:
    state: NoticeState
    send_after: datetime
    reason: str | None = None


def plan_notice(
    decision: BenefitDecided,
    kind: NoticeKind,
    mirrored: MirroredPerson | None,
    account: AccountOpened | None,
    now: datetime,
    account_wait: timedelta,
) -> NoticePlan:
    contact = contact_of(decision.recipient, mirrored)
    if isinstance(contact, Unreachable):
        return NoticePlan(NoticeState.SKIPPED, now, contact.reason)
    try:
        prepare(decision, kind, contact, account, _CHECK)
    except NoticeNotRenderable as exc:
        return NoticePlan(NoticeState.SKIPPED, now, f"no text can be made: {exc}")
    if account is None and waits_for_account(kind):
        return NoticePlan(NoticeState.PENDING, now + account_wait)
    return NoticePlan(NoticeState.PENDING, now)
