"""Which decisions are told by SMS (policy.md, "Notices")."""

from __future__ import annotations

from datetime import date

import pytest
from benefits_shared.contracts.decisions import BenefitDecided
from notifier.notice_kinds import NoticeKind, notice_kind


def decision(benefit: str, outcome: str) -> BenefitDecided:
    return BenefitDecided.model_validate(
        {
            "decision_id": "3f9a0c12-0000-5000-8000-000000000000",
            "case_id": f"{benefit}:case",
            "benefit": benefit,
            "outcome": outcome,
            "decided_on": date(2026, 3, 2),
            "rule_version": "test",
            "parameters": {},
            "facts": {},
            "reason": "test",
        }
    )


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
    benefit: str, outcome: str, kind: NoticeKind
) -> None:
    assert notice_kind(decision(benefit, outcome)) is kind


@pytest.mark.parametrize("outcome", ["rejected", "revoked", "unresolved"])
@pytest.mark.parametrize("benefit", ["B1", "B2", "B3"])
def test_rejections_revocations_and_unresolved_cases_are_not_told(
    benefit: str, outcome: str
) -> None:
    assert notice_kind(decision(benefit, outcome)) is None


@pytest.mark.parametrize("benefit", ["B1", "B3"])
def test_one_time_grants_have_no_end_notice(benefit: str) -> None:
    assert notice_kind(decision(benefit, "ended")) is None
