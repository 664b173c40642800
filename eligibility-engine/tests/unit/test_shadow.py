"""Shadow mode: the same history under two parameter versions, and who gains or loses."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from importlib.resources import as_file, files
from pathlib import Path

import pytest
from eligibility_engine import rulebook
from eligibility_engine.facts import (
    BirthCase,
    BirthRecord,
    CaseFacts,
    Certificate,
    DeathRecord,
    DisabilityCase,
    FuneralCase,
    Person,
)
from eligibility_engine.outcomes import RuleResult
from eligibility_engine.parameters import Parameters
from eligibility_engine.shadow import RuleSet, Snapshot, compare, worth

CURRENT = RuleSet(
    "current", __import__("eligibility_engine.parameters").parameters.Parameters.packaged()
)


def person(pin: str, born: date = date(1985, 1, 1), died: date | None = None) -> Person:
    return Person(pin, "Test", "Person", born, "F", date_of_death=died)


def variant(tmp_path: Path, file: str, old: str, new: str) -> RuleSet:
    """The packaged parameters with one value changed."""
    with as_file(files("eligibility_engine") / "parameters") as packaged:
        shutil.copytree(packaged, tmp_path / "candidate")
    path = tmp_path / "candidate" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return RuleSet("candidate", Parameters.from_directory(tmp_path / "candidate"))


MOTHERS = {pin: person(pin) for pin in ("MUM0001", "MUM0002")}
FIRST_CHILD = BirthRecord("B-2025-0000001", "BABY001", date(2025, 3, 1), mother_pin="MUM0001")
OLDER = tuple(
    BirthRecord(f"B-201{n}-0000001", f"BABY10{n}", date(2010 + n, 1, 1), mother_pin="MUM0002")
    for n in (1, 2)
)
THIRD_CHILD = BirthRecord("B-2025-0000002", "BABY002", date(2025, 4, 1), mother_pin="MUM0002")
HISTORY = [
    Snapshot("B1:a", BirthCase(FIRST_CHILD, MOTHERS), date(2025, 3, 5)),
    Snapshot("B1:b", BirthCase(THIRD_CHILD, MOTHERS, OLDER), date(2025, 4, 5)),
]


def test_the_same_rules_change_nothing() -> None:
    report = compare(CURRENT, CURRENT, HISTORY, horizon=date(2026, 12, 31))
    assert (report.cases, report.differences, report.total_delta) == (2, (), Decimal("0.00"))


def test_a_higher_supplement_gains_only_the_third_child_s_mother(tmp_path: Path) -> None:
    candidate = variant(tmp_path, "birth_grant.yaml", "value: 100.00", "value: 120.00")
    report = compare(CURRENT, candidate, HISTORY, horizon=date(2026, 12, 31))

    assert [d.case_id for d in report.differences] == ["B1:b"]
    assert report.differences[0].baseline.amount == Decimal("350.00")
    assert report.differences[0].candidate.amount == Decimal("370.00")
    assert report.gainers() == {"MUM0002": Decimal("20.00")}
    assert report.losers() == {}
    assert report.total_delta == Decimal("20.00")


def test_a_lower_rate_loses_money_over_the_months_to_the_horizon(tmp_path: Path) -> None:
    candidate = variant(tmp_path, "disability_allowance.yaml", "value: 240.00", "value: 239.50")
    certificate = Certificate("MSE-26-000001", "HLDR001", "II", date(2026, 3, 1), date(2026, 3, 2))
    history = [
        Snapshot(
            "B2:x", DisabilityCase(certificate, {"HLDR001": person("HLDR001")}), date(2026, 3, 3)
        )
    ]
    report = compare(CURRENT, candidate, history, horizon=date(2026, 5, 31))
    # March, April, May: 3 x 0.50 less
    assert report.losers() == {"HLDR001": Decimal("-1.50")}
    assert report.total_delta == Decimal("-1.50")


def test_a_case_s_latest_snapshot_is_the_one_compared(tmp_path: Path) -> None:
    candidate = variant(tmp_path, "funeral_allowance.yaml", "value: 350.00", "value: 400.00")
    death = DeathRecord("D-2026-0000001", "DEAD001", date(2026, 1, 10), "WTNS001")
    alive = {"WTNS001": person("WTNS001")}
    dead = {"WTNS001": person("WTNS001", died=date(2026, 1, 11))}
    history = [
        Snapshot("B3:d", FuneralCase(death, alive), date(2026, 1, 11)),
        Snapshot("B3:d", FuneralCase(death, dead), date(2026, 1, 12)),
    ]
    report = compare(CURRENT, candidate, history, horizon=date(2026, 12, 31))
    assert (report.cases, report.differences) == (1, ())


def father_first(case: CaseFacts, parameters: Parameters, on: date) -> RuleResult:
    """A rule variant that swaps the parents' order of precedence."""
    assert isinstance(case, BirthCase)
    b = case.birth
    swapped = BirthRecord(b.record_no, b.child_pin, b.birth_date, b.father_pin, b.mother_pin)
    return rulebook.decide(BirthCase(swapped, case.persons), parameters, on)


def test_a_recipient_change_shows_one_loser_and_one_gainer() -> None:
    birth = BirthRecord("B-2025-0000009", "BABY009", date(2025, 5, 1), "MUM0001", "DAD0001")
    known = {"MUM0001": person("MUM0001"), "DAD0001": person("DAD0001")}
    history = [Snapshot("B1:c", BirthCase(birth, known), date(2025, 5, 2))]
    candidate = RuleSet("father first", CURRENT.parameters, father_first)
    report = compare(CURRENT, candidate, history, date(2026, 1, 1))
    assert report.by_person() == {"DAD0001": Decimal("250.00"), "MUM0001": Decimal("-250.00")}
    assert report.total_delta == Decimal("0.00")


def test_a_case_a_rule_set_cannot_decide_is_reported_not_raised(tmp_path: Path) -> None:
    candidate = variant(
        tmp_path, "funeral_allowance.yaml", "    2023-01-01:\n      value: 300.00\n", ""
    )
    death = DeathRecord("D-2025-0000001", "DEAD001", date(2025, 6, 1), "WTNS001")
    history = [
        Snapshot("B3:e", FuneralCase(death, {"WTNS001": person("WTNS001")}), date(2025, 6, 2))
    ]
    report = compare(CURRENT, candidate, history, horizon=date(2026, 1, 1))
    [error] = report.errors()
    assert error.candidate.error is not None and "2025-06-01" in error.candidate.error
    assert error.delta == Decimal("-300.00")


@pytest.mark.parametrize("horizon", [date(2025, 3, 31), date(2030, 1, 1)])
def test_a_one_time_grant_is_worth_its_amount_whatever_the_horizon(horizon: date) -> None:
    assert worth(CURRENT, HISTORY[1], horizon).amount == Decimal("350.00")


def test_an_unresolved_case_is_worth_nothing_to_anybody() -> None:
    orphan = BirthRecord("B-2025-0000010", "BABY010", date(2025, 5, 1))
    unresolved = worth(
        CURRENT, Snapshot("B1:o", BirthCase(orphan, {}), date(2025, 5, 2)), date(2026, 1, 1)
    )
    assert (unresolved.outcome, unresolved.recipient_pin, unresolved.amount) == (
        "unresolved",
        None,
        Decimal("0.00"),
    )
