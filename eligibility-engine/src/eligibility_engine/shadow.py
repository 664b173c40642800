"""Shadow mode: what a new rule set or parameter version would change, before it goes live.

Both rule sets decide the same facts snapshots (the recorded history, in event order; a
case's last snapshot is what it holds now). For each case the report gives what each
decision is worth to whom, and the difference in AZN: who gains, who loses, by how much.
A one-time grant is worth its amount; a monthly allowance what the payroll would pay from
its start through ``horizon``; anything else (rejected, revoked, unresolved) nothing.
Pure: nothing is published, stored or paid.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from benefits_shared.contracts.decisions import Outcome

from eligibility_engine import rulebook
from eligibility_engine.entitlements import amount_due
from eligibility_engine.errors import ParameterError
from eligibility_engine.facts import CaseFacts
from eligibility_engine.outcomes import RuleResult
from eligibility_engine.parameters import Parameters

Decide = Callable[[CaseFacts, Parameters, date], RuleResult]
ZERO = Decimal("0.00")
PAYING: frozenset[Outcome] = frozenset({"assigned", "ended"})


@dataclass(frozen=True)
class RuleSet:
    """A version of the rules: a label, its parameters and the function that decides."""

    label: str
    parameters: Parameters
    decide: Decide = rulebook.decide


@dataclass(frozen=True)
class Snapshot:
    """The facts of one case at one point of the history, and the day it was decided."""

    case_id: str
    facts: CaseFacts
    decided_on: date


@dataclass(frozen=True, slots=True)
class Worth:
    """What one decision gives, and to whom (None: nobody)."""

    outcome: Outcome | None
    recipient_pin: str | None
    amount: Decimal
    error: str | None = None


@dataclass(frozen=True, slots=True)
class CaseDifference:
    case_id: str
    baseline: Worth
    candidate: Worth

    @property
    def delta(self) -> Decimal:
        return self.candidate.amount - self.baseline.amount


@dataclass(frozen=True)
class ShadowReport:
    baseline: str
    candidate: str
    horizon: date
    cases: int
    differences: tuple[CaseDifference, ...]

    @property
    def total_delta(self) -> Decimal:
        return sum((d.delta for d in self.differences), ZERO)

    def by_person(self) -> dict[str, Decimal]:
        """Each recipient's gain (positive) or loss (negative); unchanged people left out."""
        change: defaultdict[str, Decimal] = defaultdict(lambda: ZERO)
        for difference in self.differences:
            if difference.baseline.recipient_pin:
                change[difference.baseline.recipient_pin] -= difference.baseline.amount
            if difference.candidate.recipient_pin:
                change[difference.candidate.recipient_pin] += difference.candidate.amount
        return {pin: amount for pin, amount in sorted(change.items()) if amount != ZERO}

    def gainers(self) -> dict[str, Decimal]:
        return {pin: amount for pin, amount in self.by_person().items() if amount > ZERO}

    def losers(self) -> dict[str, Decimal]:
        return {pin: amount for pin, amount in self.by_person().items() if amount < ZERO}

    def errors(self) -> tuple[CaseDifference, ...]:
        """Cases a rule set could not decide (a parameter not in force, say)."""
        return tuple(d for d in self.differences if d.baseline.error or d.candidate.error)


def compare(
    baseline: RuleSet, candidate: RuleSet, snapshots: Iterable[Snapshot], horizon: date
) -> ShadowReport:
    """Decide every case's latest snapshot under both rule sets and report what differs."""
    latest = {snapshot.case_id: snapshot for snapshot in snapshots}
    differences = []
    for case_id, snapshot in latest.items():
        before = worth(baseline, snapshot, horizon)
        after = worth(candidate, snapshot, horizon)
        if before != after:
            differences.append(CaseDifference(case_id, before, after))
    return ShadowReport(baseline.label, candidate.label, horizon, len(latest), tuple(differences))


def worth(rules: RuleSet, snapshot: Snapshot, horizon: date) -> Worth:
    """What ``rules`` would decide for ``snapshot``, in money to whom."""
    try:
        result = rules.decide(snapshot.facts, rules.parameters, snapshot.decided_on)
    except ParameterError as error:
        return Worth(None, None, ZERO, str(error))
    return worth_of(result, horizon)


def worth_of(result: RuleResult, horizon: date) -> Worth:
    """What a decision gives, in money to whom: a grant its amount, an allowance what the
    payroll pays from its start through ``horizon``, anything else nothing."""
    recipient = result.recipient.pin if result.recipient else None
    if result.outcome not in PAYING or recipient is None:
        return Worth(result.outcome, recipient, ZERO)
    if result.entitlement is not None:
        return Worth(result.outcome, recipient, amount_due(result.entitlement, horizon))
    return Worth(result.outcome, recipient, result.amount or ZERO)
