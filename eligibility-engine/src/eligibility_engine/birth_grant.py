"""B1 — Birth grant: one grant per child, by the child's birth date (docs/policy.md, B1).

- Births before the programme start get nothing.
- Recipient: the mother, else the father (see ``recipients``); else unresolved.
- Amount: base, plus the supplement when the child is the recipient parent's n-th or
  later child by birth date (twins by record number), counting this child and not
  counting cancelled records; all read at the child's birth date.
- A cancelled record revokes a grant not yet paid; a paid grant stays and a recovery case
  is opened for ops (nothing is clawed back).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from benefits_shared.contracts.decisions import Outcome
from benefits_shared.money import round_half_up

from eligibility_engine import cancellations, recipients
from eligibility_engine.facts import BirthCase, BirthRecord, Person, person_fact
from eligibility_engine.outcomes import RecoveryCase, RuleResult
from eligibility_engine.parameters import ParameterReading, Parameters

RULE_VERSION = "B1-birth-grant/1"
PROGRAMME_START = "birth_grant.programme_start"
BASE = "birth_grant.base_amount"
SUPPLEMENT = "birth_grant.supplement_amount"
SUPPLEMENT_FROM = "birth_grant.supplement_from_child"


def decide(case: BirthCase, parameters: Parameters, on: date) -> RuleResult:
    """The birth grant of ``case.birth`` as decided on ``on``."""
    birth = case.birth
    start = parameters.reading(PROGRAMME_START, on)
    if birth.birth_date < start.day:
        why = f"the child was born on {birth.birth_date}, before the programme start {start.day}"
        return _result(case, on, "rejected", why, (start,))
    withdrawal = cancellations.withdrawn(case.grant) if birth.cancelled else None
    if withdrawal is not None:
        why = f"birth record {birth.record_no} was cancelled before the grant was paid"
        return _result(case, on, withdrawal, why, (start,))
    choice = _recipient(case, on)
    if choice.person is None or choice.role is None:
        return _result(case, on, "unresolved", choice.explain(), (start,))
    return _assigned(case, parameters, on, choice, start)


def _recipient(case: BirthCase, on: date) -> recipients.Choice:
    """Who gets it; a paid grant stays with whom it was paid to if the record was cancelled,
    or while the record still names them."""
    birth = case.birth
    roles = {"mother": birth.mother_pin, "father": birth.father_pin}
    kept = None
    if birth.cancelled:
        kept = cancellations.kept_with(case.persons, case.granted_to, roles)
    elif case.grant == "paid":
        kept = recipients.already_paid(case.persons, case.granted_to, roles)
    return kept or recipients.parent(birth.mother_pin, birth.father_pin, case.persons, on)


def _assigned(
    case: BirthCase,
    parameters: Parameters,
    on: date,
    choice: recipients.Choice,
    start: ParameterReading,
) -> RuleResult:
    assert choice.person is not None and choice.role is not None
    children = children_of(_parent_pin(choice.role), choice.person.pin, case.birth, case.births)
    rank = [c.child_pin for c in children].index(case.birth.child_pin) + 1
    amount, used, sum_text = _amount(parameters, case.birth.birth_date, rank)
    why = (
        f"the child born on {case.birth.birth_date} is the {choice.role}'s {ordinal(rank)} "
        f"child by birth date: {sum_text}; {choice.explain()}"
    )
    recovery = cancellations.recovery(case.birth.record_no) if case.birth.cancelled else None
    if recovery is not None:
        why = f"{recovery.why}: it stays and a recovery case is opened; {why}"
    facts = {"children_counted": [c.record_no for c in children], "rank": rank}
    return _result(
        case, on, "assigned", why, (start, *used), choice.person, amount, recovery, facts
    )


def _amount(
    parameters: Parameters, born: date, rank: int
) -> tuple[Decimal, tuple[ParameterReading, ...], str]:
    """The grant for the ``rank``-th child born on ``born``, what it read, how it adds up."""
    base = parameters.reading(BASE, born)
    rank_from = parameters.reading(SUPPLEMENT_FROM, born)
    if rank < rank_from.count:
        text = f"base {base.amount} AZN (supplement from the {ordinal(rank_from.count)} child)"
        return round_half_up(base.amount), (base, rank_from), text
    supplement = parameters.reading(SUPPLEMENT, born)
    total = round_half_up(base.amount + supplement.amount)
    text = f"base {base.amount} AZN + supplement {supplement.amount} AZN = {total} AZN"
    return total, (base, rank_from, supplement), text


def children_of(
    parent: Callable[[BirthRecord], str | None],
    pin: str,
    birth: BirthRecord,
    births: Iterable[BirthRecord],
) -> list[BirthRecord]:
    """The parent's children in birth order: one record each, cancelled ones left out
    (this birth always counts), twins by record number."""
    records = {r.record_no: r for r in (*births, birth)}
    counted = [
        r
        for r in records.values()
        if parent(r) == pin and (not r.cancelled or r.record_no == birth.record_no)
    ]
    first_record: dict[str, BirthRecord] = {}
    for record in sorted(counted, key=lambda r: r.order):
        first_record.setdefault(record.child_pin, record)
    return list(first_record.values())


def _parent_pin(role: str) -> Callable[[BirthRecord], str | None]:
    if role == "mother":
        return lambda r: r.mother_pin
    return lambda r: r.father_pin


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _result(
    case: BirthCase,
    on: date,
    outcome: Outcome,
    why: str,
    used: tuple[ParameterReading, ...],
    recipient: Person | None = None,
    amount: Decimal | None = None,
    recovery: RecoveryCase | None = None,
    extra: dict[str, Any] | None = None,
) -> RuleResult:
    facts = {
        "decided_on": on.isoformat(),
        "birth": case.birth.as_fact(),
        "mother": person_fact(case.persons, case.birth.mother_pin),
        "father": person_fact(case.persons, case.birth.father_pin),
        "grant": case.grant,
        **(extra or {}),
    }
    reason = f"B1 {outcome}: {why}."
    return RuleResult(
        "B1", outcome, reason, RULE_VERSION, used, facts, recipient, amount, recovery=recovery
    )
