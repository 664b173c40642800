"""One notice per (decision, kind), ever: its id is made from both and nothing else."""

from __future__ import annotations

from notifier.notice_ids import notice_id
from notifier.notice_kinds import NoticeKind

DECISION = "3f9a0c12-7d4e-5b6a-8c9d-0e1f2a3b4c5d"


def test_the_same_decision_and_kind_always_make_the_same_id() -> None:
    kind = NoticeKind.B1_ASSIGNED
    assert notice_id(DECISION, kind) == notice_id(DECISION, kind)


def test_another_kind_or_decision_makes_another_id() -> None:
    ids = {
        notice_id(DECISION, NoticeKind.B2_ASSIGNED),
        notice_id(DECISION, NoticeKind.B2_ENDED),
        notice_id(DECISION.replace("3f", "4f"), NoticeKind.B2_ASSIGNED),
    }
    assert len(ids) == 3
