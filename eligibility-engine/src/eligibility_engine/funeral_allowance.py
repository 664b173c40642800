"""B3 — Funeral allowance: one per deceased person (policy.md, B3).

- Deaths before the programme start get nothing.
- Amount: by the death date.
- Recipient: the informant named on the death record, if an adult (on the decision day)
  with a PIN, alive and known to the population registry; otherwise unresolved.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits_shared.contracts.decisions import Outcome
from benefits_shared.money import round_half_up

from eligibility_engine import recipients
from eligibility_engine.facts import FuneralCase, Person, person_fact
from eligibility_engine.outcomes import RuleResult
from eligibility_engine.parameters import ParameterReading, Parameters

RULE_VERSION = "B3-funeral-allowance/1"
PROGRAMME_START = "funeral_allowance.programme_start"
AMOUNT = "funeral_allowance.amount"
ADULT_AGE = "persons.adult_age"


def decide(case: FuneralCase, parameters: Parameters, on: date) -> RuleResult:
    """The funeral allowance for ``case.death`` as decided on ``on``."""
    died = case.death.death_date
    start = parameters.reading(PROGRAMME_START, on)
    if died < start.day:
        why = f"the death on {died} is before the programme start {start.day}"
        return _result(case, on, "rejected", why, (start,))
    adult = parameters.reading(ADULT_AGE, on)
    choice = recipients.informant(case.death.informant_pin, case.persons, on, adult.count)
    if choice.person is None:
        return _result(case, on, "unresolved", choice.explain(), (start, adult))
    amount = parameters.reading(AMOUNT, died)
    why = f"death on {died}: {amount.amount} AZN (in force from {amount.in_force_from}); "
    return _result(
        case,
        on,
        "assigned",
        why + choice.explain(),
        (start, adult, amount),
        choice.person,
        round_half_up(amount.amount),
    )


def _result(
    case: FuneralCase,
    on: date,
    outcome: Outcome,
    why: str,
    used: tuple[ParameterReading, ...],
    recipient: Person | None = None,
    amount: Decimal | None = None,
) -> RuleResult:
    facts = {
        "decided_on": on.isoformat(),
        "death": case.death.as_fact(),
        "deceased": person_fact(case.persons, case.death.deceased_pin),
        "informant": person_fact(case.persons, case.death.informant_pin),
    }
    return RuleResult(
        "B3", outcome, f"B3 {outcome}: {why}.", RULE_VERSION, used, facts, recipient, amount
    )
