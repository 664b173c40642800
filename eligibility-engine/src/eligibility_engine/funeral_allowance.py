"""B3 — Funeral allowance: one per deceased person (docs/policy.md, B3).

- Deaths before the programme start get nothing.
- Amount: by the death date.
- Recipient: the informant named on the death record, if an adult (on the decision day)
  with a PIN, alive and known to the population registry; otherwise unresolved.
- A cancelled death record withdraws an allowance not yet paid; a paid one stays and a
  recovery case is opened (as for B1, the policy being silent: docs/policy.md, ``cancellations``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits_shared.contracts.decisions import Outcome
from benefits_shared.money import round_half_up

from eligibility_engine import cancellations, recipients
from eligibility_engine.facts import FuneralCase, Person, person_fact
from eligibility_engine.outcomes import RecoveryCase, RuleResult
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
    withdrawal = cancellations.withdrawn(case.grant) if case.death.cancelled else None
    if withdrawal is not None:
        why = f"death record {case.death.record_no} was cancelled before the allowance was paid"
        return _result(case, on, withdrawal, why, (start,))
    adult = parameters.reading(ADULT_AGE, on)
    choice = _recipient(case, on, adult.count)
    if choice.person is None:
        return _result(case, on, "unresolved", choice.explain(), (start, adult))
    amount = parameters.reading(AMOUNT, died)
    why = f"death on {died}: {amount.amount} AZN (in force from {amount.in_force_from}); "
    recovery = cancellations.recovery(case.death.record_no) if case.death.cancelled else None
    if recovery is not None:
        why = f"{recovery.why}: it stays and a recovery case is opened; {why}"
    used = (start, adult, amount)
    return _result(
        case,
        on,
        "assigned",
        why + choice.explain(),
        used,
        choice.person,
        round_half_up(amount.amount),
        recovery,
    )


def _recipient(case: FuneralCase, on: date, adult_age: int) -> recipients.Choice:
    """The informant; a paid allowance stays with its payee if the record was cancelled,
    or while the record still names them."""
    roles = {"informant": case.death.informant_pin}
    kept = None
    if case.death.cancelled:
        kept = cancellations.kept_with(case.persons, case.granted_to, roles)
    elif case.grant == "paid":
        kept = recipients.already_paid(case.persons, case.granted_to, roles)
    return kept or recipients.informant(case.death.informant_pin, case.persons, on, adult_age)


def _result(
    case: FuneralCase,
    on: date,
    outcome: Outcome,
    why: str,
    used: tuple[ParameterReading, ...],
    recipient: Person | None = None,
    amount: Decimal | None = None,
    recovery: RecoveryCase | None = None,
) -> RuleResult:
    facts = {
        "decided_on": on.isoformat(),
        "death": case.death.as_fact(),
        "deceased": person_fact(case.persons, case.death.deceased_pin),
        "informant": person_fact(case.persons, case.death.informant_pin),
        "grant": case.grant,
    }
    return RuleResult(
        "B3",
        outcome,
        f"B3 {outcome}: {why}.",
        RULE_VERSION,
        used,
        facts,
        recipient,
        amount,
        recovery=recovery,
    )
