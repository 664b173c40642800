"""Which rule decides which case: the one entry point over B1, B2 and B3."""

from __future__ import annotations

from datetime import date

from eligibility_engine import birth_grant, disability_allowance, funeral_allowance
from eligibility_engine.facts import BirthCase, CaseFacts, DisabilityCase, FuneralCase
from eligibility_engine.outcomes import RuleResult
from eligibility_engine.parameters import Parameters

RULE_VERSIONS = {
    "B1": birth_grant.RULE_VERSION,
    "B2": disability_allowance.RULE_VERSION,
    "B3": funeral_allowance.RULE_VERSION,
}


def decide(case: CaseFacts, parameters: Parameters, on: date) -> RuleResult:
    """The decision of ``case`` on ``on`` under ``parameters``."""
    if isinstance(case, BirthCase):
        return birth_grant.decide(case, parameters, on)
    if isinstance(case, DisabilityCase):
        return disability_allowance.decide(case, parameters, on)
    if isinstance(case, FuneralCase):
        return funeral_allowance.decide(case, parameters, on)
    raise TypeError(f"no rule decides {type(case).__name__}")


def over_on(result: RuleResult, on: date) -> bool:
    """An allowance assigned on ``on`` whose last day has already passed: a case first
    decided after its entitlement ran out (held, or its record came late). It is assigned,
    so its days are paid and the payee told, and then ended on the same day, as the next
    clock tick would end it; the case never rests in a state its own rules would change."""
    end = result.entitlement.end if result.entitlement is not None else None
    return result.outcome == "assigned" and end is not None and end < on
