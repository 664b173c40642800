"""A rule result becomes a BenefitDecided event that explains itself."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits_shared.contracts.decisions import BenefitDecided
from benefits_shared.pin import PinHasher
from eligibility_engine import birth_grant, disability_allowance
from eligibility_engine.decision_ids import birth_grant_case, decision_id, disability_case
from eligibility_engine.decisions import benefit_decided
from eligibility_engine.facts import (
    BirthCase,
    BirthRecord,
    Certificate,
    DisabilityCase,
    Period,
    Person,
)
from eligibility_engine.parameters import Parameters

PARAMETERS = Parameters.packaged()
HASHER = PinHasher("test-key")
MOTHER = Person("MUM0001", "Leyla", "Mammadova", date(1994, 7, 12), "F", "+994501234567", "ru")
BIRTH = BirthRecord("B-2025-0000001", "BABY001", date(2025, 3, 1), mother_pin="MUM0001")


def test_a_birth_grant_decision_records_rule_version_parameters_facts_and_reason() -> None:
    result = birth_grant.decide(BirthCase(BIRTH, {"MUM0001": MOTHER}), PARAMETERS, date(2025, 3, 5))
    case_id = birth_grant_case("BABY001", HASHER)
    event = benefit_decided(result, case_id, date(2025, 3, 5))

    assert event.decision_id == decision_id(case_id, result)
    assert (event.benefit, event.outcome, event.amount) == ("B1", "assigned", Decimal("250.00"))
    assert event.rule_version == birth_grant.RULE_VERSION
    assert event.parameters["birth_grant.base_amount@2025-01-01"] == "250.00"
    assert event.facts["birth"]["record_no"] == "B-2025-0000001"
    assert event.facts["mother"]["pin"] == "MUM0001"
    assert event.facts["children_counted"] == ["B-2025-0000001"]
    assert "mother's 1st child" in event.reason
    assert event.recipient is not None
    assert (event.recipient.full_name, event.recipient.language) == ("Leyla Mammadova", "ru")


def test_the_event_survives_its_json_round_trip() -> None:
    result = birth_grant.decide(BirthCase(BIRTH, {"MUM0001": MOTHER}), PARAMETERS, date(2025, 3, 5))
    event = benefit_decided(result, "B1:x", date(2025, 3, 5), supersedes="earlier")
    again = BenefitDecided.model_validate_json(event.model_dump_json())
    assert again == event
    assert again.supersedes == "earlier"


def test_an_entitlement_carries_its_rate_schedule() -> None:
    holder = Person("HLDR001", "Rauf", "Aliyev", date(1970, 1, 1), "M", "+994551112233")
    certificate = Certificate("MSE-25-000001", "HLDR001", "I", date(2025, 12, 1), date(2025, 12, 2))
    case = DisabilityCase(certificate, {"HLDR001": holder})
    result = disability_allowance.decide(case, PARAMETERS, date(2025, 12, 3))
    event = benefit_decided(result, disability_case("MSE-25-000001"), date(2025, 12, 3))

    assert event.entitlement is not None
    assert (event.entitlement.group, event.entitlement.start, event.entitlement.end) == (
        "I",
        date(2025, 12, 1),
        None,
    )
    assert [(r.from_month, r.monthly_rate) for r in event.entitlement.rates] == [
        (date(2025, 12, 1), Decimal("300.00")),
        (date(2026, 1, 1), Decimal("330.00")),
    ]
    assert event.amount is None


def test_a_dead_recipient_keeps_the_days_due_but_is_given_no_phone() -> None:
    holder = Person(
        "HLDR001",
        "Rauf",
        "Aliyev",
        date(1950, 1, 1),
        "M",
        "+994551112233",
        date_of_death=date(2026, 5, 20),
    )
    certificate = Certificate("MSE-26-000001", "HLDR001", "I", date(2026, 3, 1), date(2026, 3, 2))
    case = DisabilityCase(
        certificate,
        {"HLDR001": holder},
        current=Period(date(2026, 3, 1)),
    )
    result = disability_allowance.decide(case, PARAMETERS, date(2026, 7, 1))
    event = benefit_decided(result, disability_case("MSE-26-000001"), date(2026, 7, 1))

    assert event.outcome == "ended"
    assert event.recipient is not None and event.recipient.phone is None
    assert "recovery_case" not in event.facts  # the gateway's, from what it paid


def test_a_grant_paid_then_cancelled_carries_its_recovery_case() -> None:
    cancelled = BirthRecord(
        "B-2025-0000001", "BABY001", date(2025, 3, 1), mother_pin="MUM0001", cancelled=True
    )
    case = BirthCase(cancelled, {"MUM0001": MOTHER}, grant="paid", granted_to="MUM0001")
    result = birth_grant.decide(case, PARAMETERS, date(2025, 3, 20))
    event = benefit_decided(result, birth_grant_case("BABY001", HASHER), date(2025, 3, 20))

    assert (event.outcome, event.amount) == ("assigned", Decimal("250.00"))
    assert event.facts["recovery_case"]["days_from"] is None
    assert event.facts["recovery_case"]["why"]
