"""What re-deciding a case would change, against its last published decision: pure.

A replay (ADR 12) decides a case again with the facts the engine holds now (and, for a
shadow run, other parameters). The case changes exactly when the new decision's content
(``decision_ids.fingerprint``) differs from the last one's: that is what the engine's
normal path would publish, and all it would publish. The difference says both sides in
words and in AZN (``shadow.worth_of``: a grant its amount, an allowance its payroll
through the horizon), and the id the new decision would have.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from benefits_shared.contracts.decisions import BenefitDecided
from benefits_shared.contracts.ops import CaseDifference, DecisionSide

from eligibility_engine.decision_ids import decision_id, fingerprint
from eligibility_engine.entitlements import Entitlement, RatePeriod, amount_due
from eligibility_engine.errors import ParameterError
from eligibility_engine.facts import Period
from eligibility_engine.outcomes import RuleResult
from eligibility_engine.shadow import PAYING, ZERO, worth_of

Decided = RuleResult | ParameterError


def difference(
    case_id: str,
    published: BenefitDecided | None,
    last_fingerprint: str | None,
    decided: Decided,
    horizon: date,
    between: BenefitDecided | None = None,
) -> CaseDifference | None:
    """The change ``decided`` makes to a case whose last decision is ``published`` (None:
    no decision yet); None when it would publish nothing. ``between``: a decision made on
    the way (an allowance already over is assigned, then ended), which ``decided`` then
    supersedes."""
    if isinstance(decided, RuleResult) and fingerprint(decided) == last_fingerprint:
        return None
    old = published_side(published, horizon) if published is not None else None
    new = new_side(case_id, between or published, decided, horizon)
    benefit = decided.benefit if isinstance(decided, RuleResult) else _benefit(case_id)
    before = old.worth if old is not None else ZERO
    # Rules that cannot decide say nothing about money: the case counts for nothing.
    delta = ZERO if new.error else new.worth - before
    return CaseDifference(case_id=case_id, benefit=benefit, old=old, new=new, delta=delta)


def new_side(
    case_id: str, published: BenefitDecided | None, decided: Decided, horizon: date
) -> DecisionSide:
    if isinstance(decided, ParameterError):
        return DecisionSide(error=str(decided))
    supersedes = published.decision_id if published is not None else None
    return DecisionSide(
        decision_id=decision_id(case_id, decided, supersedes),
        outcome=decided.outcome,
        reason=decided.reason,
        recipient_pin=decided.recipient.pin if decided.recipient else None,
        amount=decided.amount,
        worth=worth_of(decided, horizon).amount,
        rule_version=decided.rule_version,
        parameters=decided.parameter_values(),
    )


def published_side(decision: BenefitDecided, horizon: date) -> DecisionSide:
    return DecisionSide(
        decision_id=decision.decision_id,
        outcome=decision.outcome,
        reason=decision.reason,
        recipient_pin=decision.recipient.pin if decision.recipient else None,
        amount=decision.amount,
        worth=published_worth(decision, horizon),
        rule_version=decision.rule_version,
        parameters=dict(decision.parameters),
    )


def published_worth(decision: BenefitDecided, horizon: date) -> Decimal:
    """What a published decision gives, valued as ``shadow.worth_of`` values a new one."""
    if decision.outcome not in PAYING or decision.recipient is None:
        return ZERO
    if decision.entitlement is not None:
        entitled = decision.entitlement
        rates = tuple(RatePeriod(r.from_month, r.monthly_rate) for r in entitled.rates)
        group = cast(Any, entitled.group)
        return amount_due(Entitlement(group, Period(entitled.start, entitled.end), rates), horizon)
    return decision.amount if decision.amount is not None else ZERO


def _benefit(case_id: str) -> str:
    return case_id.split(":", 1)[0]
