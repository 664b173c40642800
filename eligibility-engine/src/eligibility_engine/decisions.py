"""A rule result as the ``BenefitDecided`` event the engine publishes."""

from __future__ import annotations

from datetime import date
from typing import Any

from benefits_shared.contracts.decisions import BenefitDecided, Entitlement, RatePeriod, Recipient

from eligibility_engine import entitlements
from eligibility_engine.decision_ids import decision_id
from eligibility_engine.facts import Person
from eligibility_engine.outcomes import RuleResult


def benefit_decided(
    result: RuleResult,
    case_id: str,
    decided_on: date,
    supersedes: str | None = None,
    content: str | None = None,
) -> BenefitDecided:
    """The decision event of ``result`` in ``case_id``, superseding the case's last one
    (``content``: the result's fingerprint, if already computed)."""
    return BenefitDecided(
        decision_id=decision_id(case_id, result, supersedes, content),
        case_id=case_id,
        benefit=result.benefit,
        outcome=result.outcome,
        decided_on=decided_on,
        recipient=recipient(result.recipient, decided_on) if result.recipient else None,
        amount=result.amount,
        entitlement=_entitlement(result.entitlement) if result.entitlement else None,
        supersedes=supersedes,
        rule_version=result.rule_version,
        parameters=result.parameter_values(),
        facts=_facts(result),
        reason=result.reason,
    )


def recipient(person: Person, on: date) -> Recipient:
    """The recipient snapshot. A person dead on ``on`` gets no phone: no notice is ever
    addressed to a dead person (the payee of days due before a death stays)."""
    return Recipient(
        pin=person.pin,
        full_name=person.full_name,
        birth_date=person.birth_date,
        phone=person.phone if person.alive_on(on) else None,
        language=person.language,
    )


def _entitlement(entitled: entitlements.Entitlement) -> Entitlement:
    rates = tuple(
        RatePeriod(from_month=r.from_month, monthly_rate=r.monthly_rate) for r in entitled.rates
    )
    return Entitlement(group=entitled.group, start=entitled.start, end=entitled.end, rates=rates)


def _facts(result: RuleResult) -> dict[str, Any]:
    """The facts read, plus what the contract has no field for yet (recovery, notice day)."""
    facts = dict(result.facts)
    if result.recovery is not None:
        facts["recovery_case"] = {
            "why": result.recovery.why,
            "days_from": _iso(result.recovery.days_from),
            "days_through": _iso(result.recovery.days_through),
        }
    if result.reexamination_on is not None:
        facts["reexamination_on"] = result.reexamination_on.isoformat()
    return facts


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
