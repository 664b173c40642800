"""What re-deciding a case would change against its last published decision."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from importlib.resources import as_file, files
from pathlib import Path

from benefits_shared.contracts.decisions import BenefitDecided
from eligibility_engine import rulebook
from eligibility_engine.decision_ids import decision_id, fingerprint
from eligibility_engine.decisions import benefit_decided
from eligibility_engine.errors import ParameterNotInForceError
from eligibility_engine.facts import BirthCase, BirthRecord, Person
from eligibility_engine.outcomes import RuleResult
from eligibility_engine.parameters import Parameters
from eligibility_engine.replay import difference

CASE = "B1:child"
ON = date(2025, 3, 5)
HORIZON = date(2026, 12, 31)
MOTHER = Person("MUM0001", "Test", "Person", date(1985, 1, 1), "F")
BIRTH = BirthRecord("B-2025-0000001", "BABY001", date(2025, 3, 1), mother_pin="MUM0001")
PACKAGED = Parameters.packaged()


def decide(parameters: Parameters = PACKAGED) -> RuleResult:
    return rulebook.decide(BirthCase(BIRTH, {"MUM0001": MOTHER}), parameters, ON)


def published(result: RuleResult) -> BenefitDecided:
    return benefit_decided(result, CASE, ON)


def raised(tmp_path: Path) -> Parameters:
    with as_file(files("eligibility_engine") / "parameters") as packaged:
        shutil.copytree(packaged, tmp_path / "p")
    grant = tmp_path / "p" / "birth_grant.yaml"
    grant.write_text(grant.read_text().replace("value: 250.00", "value: 300.00", 1))
    return Parameters.from_directory(tmp_path / "p")


def test_the_same_decision_again_is_no_difference() -> None:
    result = decide()
    assert difference(CASE, published(result), fingerprint(result), result, HORIZON) is None


def test_a_raised_amount_differs_with_both_sides_and_the_id_apply_would_publish(
    tmp_path: Path,
) -> None:
    before = decide()
    after = decide(raised(tmp_path))

    found = difference(CASE, published(before), fingerprint(before), after, HORIZON)

    assert found is not None
    assert found.old is not None
    assert (found.old.worth, found.new.worth, found.delta) == (
        Decimal("250.00"),
        Decimal("300.00"),
        Decimal("50.00"),
    )
    assert found.old.reason == before.reason and found.new.reason == after.reason
    assert found.new.decision_id == decision_id(CASE, after, published(before).decision_id)
    assert found.new.recipient_pin == "MUM0001"


def test_a_case_never_decided_differs_by_all_it_is_worth() -> None:
    found = difference(CASE, None, None, decide(), HORIZON)
    assert found is not None
    assert (found.old, found.delta) == (None, Decimal("250.00"))


def test_rules_that_cannot_decide_are_a_difference_with_the_reason_counting_no_money() -> None:
    before = decide()
    error = ParameterNotInForceError("birth_grant.base_amount", ON, [date(2030, 1, 1)])
    found = difference(CASE, published(before), fingerprint(before), error, HORIZON)
    assert found is not None
    assert found.new.error and "no value in force" in found.new.error
    assert (found.new.worth, found.delta) == (Decimal("0.00"), Decimal("0.00"))
