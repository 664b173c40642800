"""Decision ids: the same facts give the same id; a different decision another id."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date

from benefits_shared.pin import PinHasher
from eligibility_engine import birth_grant
from eligibility_engine.decision_ids import (
    birth_grant_case,
    decision_id,
    disability_case,
    fingerprint,
    funeral_case,
    reexamination_case,
)
from eligibility_engine.facts import BirthCase, BirthRecord, Person
from eligibility_engine.outcomes import RuleResult
from eligibility_engine.parameters import Parameters

PARAMETERS = Parameters.packaged()
HASHER = PinHasher("test-key")
MOTHER = Person("MUM0001", "Leyla", "Mammadova", date(1994, 7, 12), "F", "+994501234567")
BIRTH = BirthRecord("B-2025-0000001", "BABY001", date(2025, 3, 1), mother_pin="MUM0001")
CASE_ID = birth_grant_case("BABY001", HASHER)


def decide(case: BirthCase, on: date = date(2025, 3, 5)) -> RuleResult:
    return birth_grant.decide(case, PARAMETERS, on)


def test_re_deciding_the_same_facts_gives_the_same_id() -> None:
    case = BirthCase(BIRTH, {"MUM0001": MOTHER})
    first = decision_id(CASE_ID, decide(case))
    assert decision_id(CASE_ID, decide(BirthCase(BIRTH, {"MUM0001": MOTHER}))) == first
    assert decision_id(CASE_ID, decide(case, date(2025, 4, 1))) == first
    assert uuid.UUID(first).version == 5


def test_a_different_outcome_gives_a_different_id() -> None:
    assigned = decide(BirthCase(BIRTH, {"MUM0001": MOTHER}))
    cancelled = dataclasses.replace(BIRTH, cancelled=True)
    revoked = decide(BirthCase(cancelled, {"MUM0001": MOTHER}, grant="assigned"))
    assert revoked.outcome == "revoked"
    assert decision_id(CASE_ID, revoked) != decision_id(CASE_ID, assigned)


def test_a_different_amount_or_recipient_gives_a_different_id() -> None:
    assigned = decide(BirthCase(BIRTH, {"MUM0001": MOTHER}))
    richer = dataclasses.replace(assigned, amount=assigned.amount and assigned.amount + 1)
    father = dataclasses.replace(MOTHER, pin="DAD0001", sex="M")
    other = dataclasses.replace(assigned, recipient=father)
    ids = {decision_id(CASE_ID, r) for r in (assigned, richer, other)}
    assert len(ids) == 3


def test_wording_rule_version_and_recorded_facts_are_not_part_of_the_id() -> None:
    assigned = decide(BirthCase(BIRTH, {"MUM0001": MOTHER}))
    reworded = dataclasses.replace(
        assigned, reason="other words", rule_version="B1-birth-grant/2", facts={}
    )
    assert fingerprint(reworded) == fingerprint(assigned)


def test_the_superseded_decision_is_part_of_the_id() -> None:
    """A case going A → B → A does not reuse A's id for its third decision."""
    assigned = decide(BirthCase(BIRTH, {"MUM0001": MOTHER}))
    first = decision_id(CASE_ID, assigned)
    assert decision_id(CASE_ID, assigned, supersedes="some-other-id") != first
    assert decision_id(CASE_ID, assigned, supersedes=None) == first


def test_the_same_decision_in_another_case_has_another_id() -> None:
    assigned = decide(BirthCase(BIRTH, {"MUM0001": MOTHER}))
    other_case = birth_grant_case("BABY002", HASHER)
    assert decision_id(other_case, assigned) != decision_id(CASE_ID, assigned)


def test_case_ids_name_the_benefit_and_never_carry_a_pin() -> None:
    ids = [
        birth_grant_case("BABY001", HASHER),
        funeral_case("DEAD001", HASHER),
        reexamination_case("CHLD001", HASHER),
    ]
    assert [i.split(":")[0] for i in ids] == ["B1", "B3", "B2-reexamination"]
    assert not any(pin in i for i, pin in zip(ids, ["BABY001", "DEAD001", "CHLD001"], strict=True))
    assert disability_case("MSE-26-004512") == "B2:MSE-26-004512"
