"""The eligibility engine's Prometheus families (served with the shared ones).

Decisions are counted when they are stored and queued, by benefit and outcome; one-time
grants add their amount. The cases waiting for the copy of the registries (ADR 8) are
gauged after each pass of the releaser (at least every minute): how many, how many each
registry copy does not cover yet, and how long the oldest has waited, so that an alert can
name the connector that holds decisions back. Labels are benefits, outcomes and registry
sources: never a PIN, a case id or a name.
"""

from __future__ import annotations

from collections import Counter as TallyCounter
from collections.abc import Iterable
from decimal import Decimal

from benefits_shared.contracts.decisions import BenefitDecided
from prometheus_client import Counter, Gauge

from eligibility_engine.knowledge import Waiting

DECISIONS = Counter(
    "engine_decisions", "Decisions made, by benefit and outcome.", ["benefit", "outcome"]
)
DECIDED_AMOUNTS = Counter(
    "engine_decided_amount_azn",
    "One-time grant amounts in decisions, by benefit and outcome, in AZN.",
    ["benefit", "outcome"],
)


def count(decisions: Iterable[BenefitDecided]) -> None:
    """Tallied per label first: a batch's thousands of decisions are a few increments."""
    made: TallyCounter[tuple[str, str]] = TallyCounter()
    amounts: dict[tuple[str, str], Decimal] = {}
    for d in decisions:
        label = (d.benefit, d.outcome)
        made[label] += 1
        if d.amount is not None:
            amounts[label] = amounts.get(label, Decimal(0)) + d.amount
    for (benefit, outcome), n in made.items():
        DECISIONS.labels(benefit=benefit, outcome=outcome).inc(n)
    for (benefit, outcome), amount in amounts.items():
        DECIDED_AMOUNTS.labels(benefit=benefit, outcome=outcome).inc(float(amount))


WAITING = Gauge(
    "engine_cases_waiting",
    "Cases waiting for the copy of the registries (ADR 8): all of them (waiting_for=any), "
    "and those a source's copy does not cover yet (population, civil, mse).",
    ["waiting_for"],
)
OLDEST_WAITING = Gauge(
    "engine_cases_waiting_oldest_seconds",
    "How long the case waiting longest has waited (0: none waits).",
)


def show_waiting(waiting: Waiting) -> None:
    WAITING.labels(waiting_for="any").set(waiting.cases)
    for source, cases in waiting.uncovered.items():
        WAITING.labels(waiting_for=source).set(cases)
    OLDEST_WAITING.set(waiting.oldest_seconds)
