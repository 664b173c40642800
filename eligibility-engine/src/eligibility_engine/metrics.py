"""The eligibility engine's Prometheus families (served with the shared ones).

Decisions are counted when they are stored and queued, by benefit and outcome; one-time
grants add their amount. Held cases (ADR 8) are counted as they are held and released.
Labels are benefits and outcomes: never a PIN, a case id or a name.
"""

from __future__ import annotations

from collections import Counter as TallyCounter
from collections.abc import Iterable
from decimal import Decimal

from benefits_shared.contracts.decisions import BenefitDecided
from prometheus_client import Counter

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
