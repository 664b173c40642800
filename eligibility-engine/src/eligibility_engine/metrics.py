"""The eligibility engine's Prometheus families (served with the shared ones).

Decisions are counted when they are stored and queued, by benefit and outcome; one-time
grants add their amount. Held cases (ADR 8) are counted as they are held and released.
Labels are benefits and outcomes: never a PIN, a case id or a name.
"""

from __future__ import annotations

from collections.abc import Iterable

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
    for d in decisions:
        DECISIONS.labels(benefit=d.benefit, outcome=d.outcome).inc()
        if d.amount is not None:
            DECIDED_AMOUNTS.labels(benefit=d.benefit, outcome=d.outcome).inc(float(d.amount))
