"""Decisions are counted by benefit and outcome, one-time amounts summed, per batch."""

from __future__ import annotations

from datetime import date

from benefits_shared.contracts.decisions import BenefitDecided
from eligibility_engine import birth_grant, metrics
from eligibility_engine.decisions import benefit_decided
from eligibility_engine.facts import BirthCase, BirthRecord, Person
from eligibility_engine.parameters import Parameters
from prometheus_client import REGISTRY

PARAMETERS = Parameters.packaged()
MOTHER = Person("MUM0001", "Leyla", "Mammadova", date(1994, 7, 12), "F", "+994501234567")
ON = date(2025, 3, 5)


def _sample(name: str, outcome: str) -> float:
    labels = {"benefit": "B1", "outcome": outcome}
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _decided(child: str, mother: dict[str, Person]) -> BenefitDecided:
    birth = BirthRecord(f"B-{child}", child, date(2025, 3, 1), mother_pin="MUM0001")
    result = birth_grant.decide(BirthCase(birth, mother), PARAMETERS, ON)
    return benefit_decided(result, f"B1:{child}", ON)


def test_a_batch_counts_each_decision_once_and_sums_the_amounts_it_grants() -> None:
    granted = [_decided(f"KID000{n}", {"MUM0001": MOTHER}) for n in range(3)]
    waiting = _decided("KID0009", {})
    before = (
        _sample("engine_decisions_total", "assigned"),
        _sample("engine_decisions_total", "unresolved"),
        _sample("engine_decided_amount_azn_total", "assigned"),
    )
    metrics.count([*granted, waiting])
    after = (
        _sample("engine_decisions_total", "assigned"),
        _sample("engine_decisions_total", "unresolved"),
        _sample("engine_decided_amount_azn_total", "assigned"),
    )
    amount = float(sum(d.amount or 0 for d in granted))
    assert amount > 0 and waiting.outcome == "unresolved"
    assert (after[0] - before[0], after[1] - before[1]) == (3, 1)
    assert after[2] - before[2] == amount
