"""Which notice, if any, a decision calls for (docs/policy.md, "Notices").

Every assignment with a recipient and every end of a monthly entitlement is told by SMS,
and so is a child's coming re-examination. Rejections, revocations and unresolved cases
are not: nobody was promised anything, or ops take them over. Whether the recipient can
be reached (alive, with a phone) is the sender's question, not this module's. The
``*_withdrawn`` kinds come from no decision outcome: a grant's payment cancelled after its
recipient was told of it (see :mod:`notifier.grant_withdrawal`).
"""

from __future__ import annotations

from enum import StrEnum

from benefits_shared.contracts.decisions import Benefit, BenefitDecided, Outcome


class NoticeKind(StrEnum):
    B1_ASSIGNED = "b1_assigned"
    B2_ASSIGNED = "b2_assigned"
    B2_ENDED = "b2_ended"
    B2_REEXAMINATION_DUE = "b2_reexamination_due"
    B3_ASSIGNED = "b3_assigned"
    B1_WITHDRAWN = "b1_withdrawn"
    B3_WITHDRAWN = "b3_withdrawn"


KINDS: dict[tuple[Benefit, Outcome], NoticeKind] = {
    ("B1", "assigned"): NoticeKind.B1_ASSIGNED,
    ("B2", "assigned"): NoticeKind.B2_ASSIGNED,
    ("B2", "ended"): NoticeKind.B2_ENDED,
    ("B2", "reexamination_due"): NoticeKind.B2_REEXAMINATION_DUE,
    ("B3", "assigned"): NoticeKind.B3_ASSIGNED,
}


def notice_kind(decision: BenefitDecided) -> NoticeKind | None:
    """The kind of SMS the decision calls for, or None when it calls for none."""
    return KINDS.get((decision.benefit, decision.outcome))


#: The kinds that announce where the money goes: they wait for the recipient's account to
#: open (``AccountOpened``), up to a time limit, so they can name the bank and ``****1234``.
ANNOUNCES_PAYMENT = frozenset(
    {NoticeKind.B1_ASSIGNED, NoticeKind.B2_ASSIGNED, NoticeKind.B3_ASSIGNED}
)


def waits_for_account(kind: NoticeKind) -> bool:
    return kind in ANNOUNCES_PAYMENT
