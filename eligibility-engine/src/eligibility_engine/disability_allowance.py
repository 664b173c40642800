"""B2 — Disability allowance: the entitlement of one MSE certificate (docs/policy.md, B2).

The days come from ``entitled_days``; the rate schedule from the parameters, month by
month. Payee: the holder (groups I–III); for the child group the mother, else the father
(see ``recipients``); else unresolved. Outcome against what the case held before:
``assigned``, ``ended`` (cut short, or its last day has passed), ``revoked`` (no day left
of an entitlement it had) or ``rejected`` (never any day).

Days already paid that are no longer due are not the decision's to say: the bank gateway,
which holds what was paid, opens their recovery case from the decision's entitlement
(``bank_gateway.recovery``). A decision reads registry facts, parameters and the day only,
so that it does not depend on when a payment's settlement reached the engine (ADR 5).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from benefits_shared.contracts.decisions import Outcome

from eligibility_engine import recipients, reexamination
from eligibility_engine.entitled_days import Span, entitled_span
from eligibility_engine.entitlements import Entitlement, rate_schedule
from eligibility_engine.facts import DisabilityCase, Period, Person, person_fact
from eligibility_engine.outcomes import RuleResult
from eligibility_engine.parameters import ParameterReading, Parameters

RULE_VERSION = "B2-disability-allowance/1"
PROGRAMME_START = "disability_allowance.programme_start"
ADULT_AGE = "persons.adult_age"
NOTICE_LEAD = "disability_allowance.reexamination_notice_lead"


def decide(case: DisabilityCase, parameters: Parameters, on: date) -> RuleResult:
    """The entitlement of ``case.certificate`` as decided on ``on``."""
    holder = case.persons.get(case.certificate.holder_pin)
    used = [parameters.reading(PROGRAMME_START, on)]
    if holder is None:
        why = "the certificate holder is not known to the population registry"
        return _result(case, on, "unresolved", why, used)
    adult_age = None
    if case.certificate.group == "CHILD":
        used.append(parameters.reading(ADULT_AGE, on))
        adult_age = used[-1].count
    span = entitled_span(case, holder, used[0].day, adult_age)
    if span.period is None:
        outcome: Outcome = "revoked" if case.current else "rejected"
        return _result(case, on, outcome, span.why, used)
    payee = _payee(case, holder, on)
    if payee.person is None:
        why = f"group {case.certificate.group} from {span.period.start}, {span.why}"
        return _result(case, on, "unresolved", f"{why}; {payee.explain()}", used)
    return _entitled(case, parameters, on, span, payee, used, adult_age)


def _entitled(
    case: DisabilityCase,
    parameters: Parameters,
    on: date,
    span: Span,
    payee: recipients.Choice,
    used: list[ParameterReading],
    adult_age: int | None,
) -> RuleResult:
    assert span.period is not None
    group = case.certificate.group
    rates, readings = rate_schedule(parameters, group, span.period)
    used.extend(readings)
    notice = None
    if adult_age is not None:
        lead = parameters.reading(NOTICE_LEAD, on)
        used.append(lead)
        holder = case.persons[case.certificate.holder_pin]
        notice = reexamination.notice_day(holder, span.period, adult_age, lead.count)
    outcome = _assigned_or_ended(case.current, span.period, on)
    monthly = ", then ".join(
        f"{r.monthly_rate} AZN a month from {r.from_month:%Y-%m}" for r in rates
    )
    why = f"group {group} from {span.period.start}, {span.why}, {monthly}; {payee.explain()}"
    return _result(
        case,
        on,
        outcome,
        why,
        used,
        payee.person,
        Entitlement(group, span.period, rates),
        notice,
    )


def _payee(case: DisabilityCase, holder: Person, on: date) -> recipients.Choice:
    if case.certificate.group != "CHILD":
        return recipients.Choice(holder, "holder")
    return recipients.parent(holder.mother_pin, holder.father_pin, case.persons, on)


def _assigned_or_ended(current: Period | None, period: Period, on: date) -> Outcome:
    if current is None:
        return "assigned"
    over = period.end is not None and on > period.end
    return "ended" if over or period.ends_before(current) else "assigned"


def reexamination_notice(
    case: DisabilityCase, parameters: Parameters, on: date
) -> RuleResult | None:
    """The "re-examination due" notice to send on ``on`` (a clock tick), or None."""
    return reexamination.notice(decide(case, parameters, on), on)


def _result(
    case: DisabilityCase,
    on: date,
    outcome: Outcome,
    why: str,
    used: list[ParameterReading],
    recipient: Person | None = None,
    entitlement: Entitlement | None = None,
    notice: date | None = None,
) -> RuleResult:
    facts: dict[str, Any] = {
        "decided_on": on.isoformat(),
        "certificate": case.certificate.as_fact(),
        "holder": person_fact(case.persons, case.certificate.holder_pin),
        "other_certificates": [
            c.as_fact()
            for c in case.certificates
            if c.certificate_no != case.certificate.certificate_no
        ],
        "current": case.current.as_fact() if case.current else None,
    }
    return RuleResult(
        "B2",
        outcome,
        f"B2 {outcome}: {why}.",
        RULE_VERSION,
        tuple(used),
        facts,
        recipient,
        None,
        entitlement,
        None,
        notice,
    )
