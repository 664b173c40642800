"""A citizen told that money will be transferred is paid it, or told otherwise (policy.md,
Bank).

The bank gateway says when a grant payment will never be sent (``PaymentCancelled``): a
later decision of the case pays someone else (``recipient-changed``) or nobody
(``withdrawn``). For the person it was for:

- an assignment notice of that case not handed over yet is skipped: they are never told;
- if one was handed over (accepted, delivered, or its outcome unknown: they may have read
  it), they get one ``*_withdrawn`` notice, for the decision they were told of (its amount
  and reference), once per (decision, kind) like every notice.

A cancellation because the same person is now paid another amount (``amount-changed``)
tells nothing here: the new decision's own assignment notice gives the new amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from benefits_shared.contracts.payments import PaymentCancelled

from notifier.notice_kinds import NoticeKind
from notifier.notice_states import NoticeState

WITHDRAWAL = {
    NoticeKind.B1_ASSIGNED: NoticeKind.B1_WITHDRAWN,
    NoticeKind.B3_ASSIGNED: NoticeKind.B3_WITHDRAWN,
}
TOLD_OTHERWISE = frozenset({"recipient-changed", "withdrawn"})
HANDED_OVER = frozenset({NoticeState.ACCEPTED, NoticeState.DELIVERED, NoticeState.UNKNOWN})
#: Not handed over yet, but an attempt may have reached them (its outcome unknown).
WAITING = frozenset({NoticeState.PENDING, NoticeState.PARKED})


def takes_back(kind: NoticeKind) -> bool:
    """Whether notices of ``kind`` take an announcement back: a decision superseding the one
    they are for never withdraws them (it is what made them)."""
    return kind in _TAKE_BACK


_TAKE_BACK = frozenset(WITHDRAWAL.values())


@dataclass(frozen=True, slots=True)
class Announcement:
    """An assignment notice of the cancelled payment's case to its recipient, as stored."""

    notice_id: str
    decision_id: str
    kind: NoticeKind
    state: NoticeState
    attempted: bool  # an attempt was made (its outcome may be unknown)
    locked: bool  # being handed over right now (the sender holds it)

    @property
    def told(self) -> bool:
        return self.state in HANDED_OVER or (
            self.state in WAITING and (self.attempted or self.locked)
        )

    @property
    def unsent(self) -> bool:
        """Never to be sent now: not handed over yet, or parked (a retry must not send it)."""
        waiting = self.state is NoticeState.PENDING and not self.attempted and not self.locked
        return waiting or self.state is NoticeState.PARKED


@dataclass(frozen=True, slots=True)
class WithdrawalPlan:
    skip: tuple[Announcement, ...]
    tell: Announcement | None  # the announcement to take back, if anyone was told


def withdrawal_plan(
    cancelled: PaymentCancelled, announcements: Sequence[Announcement]
) -> WithdrawalPlan:
    """What to do about ``announcements`` (oldest first) now that the payment is cancelled."""
    if cancelled.period_start is not None or cancelled.reason not in TOLD_OTHERWISE:
        return WithdrawalPlan((), None)
    mine = [a for a in announcements if a.kind in WITHDRAWAL]
    told = [a for a in mine if a.told]
    exact = [a for a in told if a.decision_id == cancelled.decision_id]
    tell = (exact or told)[-1] if told else None
    return WithdrawalPlan(tuple(a for a in mine if a.unsent), tell)
