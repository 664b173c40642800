"""Which decisions are told by SMS (docs/policy.md, "Notices")."""

from __future__ import annotations

from typing import Any

import pytest
from notifier.notice_kinds import NoticeKind, notice_kind


@pytest.mark.parametrize(
    ("benefit", "outcome", "kind"),
    [
        ("B1", "assigned", NoticeKind.B1_ASSIGNED),
        ("B2", "assigned", NoticeKind.B2_ASSIGNED),
        ("B2", "ended", NoticeKind.B2_ENDED),
        ("B2", "reexamination_due", NoticeKind.B2_REEXAMINATION_DUE),
        ("B3", "assigned", NoticeKind.B3_ASSIGNED),
    ],
)
def test_assignments_ends_and_reexaminations_are_told(
    make_decision: Any, benefit: str, outcome: str, kind: NoticeKind
) -> None:
    assert notice_kind(make_decision(benefit, outcome)) is kind


@pytest.mark.parametrize("outcome", ["rejected", "revoked", "unresolved"])
@pytest.mark.parametrize("benefit", ["B1", "B2", "B3"])
def test_rejections_revocations_and_unresolved_cases_are_not_told(
    make_decision: Any, benefit: str, outcome: str
) -> None:
    assert notice_kind(make_decision(benefit, outcome)) is None


@pytest.mark.parametrize("benefit", ["B1", "B3"])
def test_one_time_grants_have_no_end_notice(make_decision: Any, benefit: str) -> None:
    assert notice_kind(make_decision(benefit, "ended")) is None
