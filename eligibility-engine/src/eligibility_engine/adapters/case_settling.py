"""A case decided on a day as the engine decides it, the handler and a replay alike.

An allowance first decided after its last day has passed is assigned and then ended on
the same day (``rulebook.over_on``): the assignment is recorded in the book on the way,
and the ending is what :func:`settle` returns, for the caller to record (the handler) or
compare with the last published decision first (a replay).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from benefits_shared.contracts.decisions import BenefitDecided

from eligibility_engine import rulebook
from eligibility_engine.adapters.case_book import CaseBook
from eligibility_engine.adapters.case_snapshot import CaseSnapshot
from eligibility_engine.case_keys import CaseKey
from eligibility_engine.outcomes import RuleResult
from eligibility_engine.parameters import Parameters


@dataclass(frozen=True, slots=True)
class Settled:
    result: RuleResult
    #: The decision recorded on the way (an allowance already over: its assignment).
    between: BenefitDecided | None


def settle(
    book: CaseBook,
    snapshot: CaseSnapshot,
    key: CaseKey,
    case_id: str,
    parameters: Parameters,
    on: date,
) -> Settled | None:
    """The case's decision on ``on``; None when its facts are not there. A
    ``ParameterError`` of the rules goes to the caller."""
    between: BenefitDecided | None = None
    for _ in range(2):
        facts = snapshot.facts(key, book.state(case_id))
        if facts is None:
            return None
        result = rulebook.decide(facts, parameters, on)
        if between is not None or not rulebook.over_on(result, on):
            break
        between = book.record(case_id, key.subject, result, on)
    return Settled(result, between)
