"""docs/policy.md as tables: every row of ``tests/policy_cases/*.yaml`` is one test.

A row gives the facts (persons, civil records, certificates) and the decision a reader of
docs/policy.md expects, written by hand; the row's ``name`` is the test id. Anything a row does
not expect is expected empty (no amount, no recipient, no entitlement, no recovery).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pytest
from benefits_shared.pin import PinHasher
from eligibility_engine import decision_ids, disability_allowance, rulebook
from eligibility_engine.decisions import benefit_decided
from eligibility_engine.entitlements import Entitlement, amount_due
from eligibility_engine.facts import (
    BirthCase,
    BirthRecord,
    CaseFacts,
    Certificate,
    DeathRecord,
    DisabilityCase,
    FuneralCase,
    Period,
    Person,
)
from eligibility_engine.outcomes import RuleResult
from eligibility_engine.parameters import Parameters, read_yaml

CASES = Path(__file__).parents[1] / "policy_cases"
HASHER = PinHasher("policy-cases")
Row = dict[str, Any]


def _rows() -> Iterator[Any]:
    for path in sorted(CASES.glob("*.yaml")):
        table = read_yaml(path.read_text(encoding="utf-8"))
        for row in table["cases"]:
            yield pytest.param(table["benefit"], row, id=f"{path.stem}: {row['name']}")


ROWS = list(_rows())


def person(row: Row) -> Person:
    return Person(
        pin=row["pin"],
        given_name=row.get("given_name", "Leyla"),
        surname=row.get("surname", "Mammadova"),
        birth_date=row["born"],
        sex=row.get("sex", "F"),
        phone=row.get("phone", "+994501234567"),
        language=row.get("language", "az"),
        date_of_death=row.get("died"),
        mother_pin=row.get("mother"),
        father_pin=row.get("father"),
    )


def persons(row: Row) -> dict[str, Person]:
    return {p.pin: p for p in map(person, row.get("persons", []))}


def birth(row: Row) -> BirthRecord:
    return BirthRecord(
        record_no=row["record"],
        child_pin=row["child"],
        birth_date=row["born"],
        mother_pin=row.get("mother"),
        father_pin=row.get("father"),
        cancelled=row.get("cancelled", False),
    )


def death(row: Row) -> DeathRecord:
    return DeathRecord(
        row["record"],
        row["deceased"],
        row["died"],
        row.get("informant"),
        row.get("cancelled", False),
    )


def certificate(row: Row, order: int) -> Certificate:
    return Certificate(
        certificate_no=row["certificate"],
        holder_pin=row["holder"],
        group=row["group"],
        valid_from=row["valid_from"],
        issued_at=row["issued"],
        valid_until=row.get("valid_until"),
        revoked_from=row.get("revoked_from"),
        source_order=order,
    )


T = TypeVar("T")


def _chosen(items: list[T], key: Callable[[T], str], row: Row) -> T:
    wanted = row.get("decide")
    if wanted is None:
        assert len(items) == 1, "a row with several records must say which to decide"
        return items[0]
    return next(item for item in items if key(item) == wanted)


def birth_case(row: Row, decide: str | None = None) -> BirthCase:
    births = [birth(b) for b in row["births"]]
    chosen = _chosen(births, lambda b: b.record_no, {"decide": decide or row.get("decide")})
    return BirthCase(
        chosen, persons(row), tuple(births), row.get("grant", "none"), row.get("granted_to")
    )


def disability_case(row: Row) -> DisabilityCase:
    certificates = [certificate(c, n) for n, c in enumerate(row["certificates"])]
    chosen = _chosen(certificates, lambda c: c.certificate_no, row)
    current = row.get("current")
    period = Period(current["start"], current["end"]) if current else None
    return DisabilityCase(chosen, persons(row), tuple(certificates), period)


def funeral_case(row: Row, decide: str | None = None) -> FuneralCase:
    deaths = [death(d) for d in row["deaths"]]
    chosen = _chosen(deaths, lambda d: d.record_no, {"decide": decide or row.get("decide")})
    return FuneralCase(chosen, persons(row), row.get("grant", "none"), row.get("granted_to"))


def case_of(benefit: str, row: Row, decide: str | None = None) -> CaseFacts:
    if benefit == "B1":
        return birth_case(row, decide)
    if benefit == "B2":
        return disability_case(row)
    return funeral_case(row, decide)


def case_id(case: CaseFacts) -> str:
    if isinstance(case, BirthCase):
        return decision_ids.birth_grant_case(case.birth.child_pin, HASHER)
    if isinstance(case, DisabilityCase):
        return decision_ids.disability_case(case.certificate.certificate_no)
    return decision_ids.funeral_case(case.death.deceased_pin, HASHER)


def entitlement_table(entitlement: Entitlement | None) -> dict[str, Any] | None:
    """An entitlement as a row writes it."""
    if entitlement is None:
        return None
    return {
        "group": entitlement.group,
        "start": entitlement.start,
        "end": entitlement.end,
        "rates": [[r.from_month, r.monthly_rate] for r in entitlement.rates],
    }


def recovery_table(result: RuleResult) -> dict[str, Any] | None:
    if result.recovery is None:
        return None
    days = {"from": result.recovery.days_from, "through": result.recovery.days_through}
    return {k: v for k, v in days.items() if v is not None}


def test_every_row_has_a_unique_name_and_quotes_the_policy() -> None:
    names = [param.values[1]["name"] for param in ROWS]
    assert len(names) == len(set(names))
    assert all(param.values[1].get("policy") for param in ROWS)
    assert {param.values[0] for param in ROWS} == {"B1", "B2", "B3"}


@pytest.mark.parametrize(("benefit", "row"), ROWS)
def test_policy_case(benefit: str, row: Row) -> None:
    parameters, on, expect = Parameters.packaged(), row["decided_on"], row["expect"]
    case = case_of(benefit, row)
    result = rulebook.decide(case, parameters, on)

    assert result.outcome == expect["outcome"], result.reason
    assert result.benefit == benefit
    assert result.amount == expect.get("amount")
    assert (result.recipient.pin if result.recipient else None) == expect.get("recipient")
    assert entitlement_table(result.entitlement) == expect.get("entitlement")
    assert recovery_table(result) == expect.get("recovery")
    assert result.reexamination_on == expect.get("reexamination_on")
    used = result.parameter_values()
    for key, value in (expect.get("parameters") or {}).items():
        assert used.get(key) == str(value), key
    for words in expect.get("reason_mentions", []):
        assert words in result.reason
    _check_extras(benefit, row, case, result, parameters, on)


def _check_extras(
    benefit: str, row: Row, case: CaseFacts, result: RuleResult, parameters: Parameters, on: date
) -> None:
    expect = row["expect"]
    if "notice" in expect:
        assert isinstance(case, DisabilityCase)
        notice = disability_allowance.reexamination_notice(case, parameters, on)
        assert (notice is not None) == expect["notice"]
    if "worth" in expect:
        assert result.entitlement is not None
        worth = expect["worth"]
        assert amount_due(result.entitlement, worth["through"]) == worth["amount"]
    if "notified" in expect:
        decided = benefit_decided(result, case_id(case), on)
        assert decided.recipient is not None
        assert (decided.recipient.phone is not None) == expect["notified"]
    if "same_decision_as" in expect:
        twin = case_of(benefit, row, expect["same_decision_as"])
        again = rulebook.decide(twin, parameters, on)
        assert case_id(twin) == case_id(case)
        assert decision_ids.decision_id(case_id(twin), again) == decision_ids.decision_id(
            case_id(case), result
        )
