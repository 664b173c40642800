"""A case's facts, assembled from rows read for the whole batch, name only its people."""

from __future__ import annotations

from datetime import date

from eligibility_engine.adapters.case_snapshot import CaseSnapshot
from eligibility_engine.case_keys import CaseKey
from eligibility_engine.facts import (
    BirthCase,
    BirthRecord,
    Certificate,
    DeathRecord,
    DisabilityCase,
    FuneralCase,
    Period,
    Person,
)


def person(pin: str, **parents: str) -> Person:
    return Person(pin, "A", "B", date(1990, 1, 1), "F", **parents)  # type: ignore[arg-type]


MUM, DAD, KID, OLDER, STRANGER = "MUM0001", "DAD0001", "KID0001", "KID0000", "STR0001"
KID_BIRTH = BirthRecord("B-2", KID, date(2025, 3, 1), MUM, DAD)
OLDER_BIRTH = BirthRecord("B-1", OLDER, date(2023, 3, 1), MUM, None)


def snapshot() -> CaseSnapshot:
    snap = CaseSnapshot()
    snap.first_births = {KID: KID_BIRTH}
    snap.add_kin([KID_BIRTH, OLDER_BIRTH, BirthRecord("B-3", STRANGER, date(2024, 1, 1))])
    snap.persons = {p: person(p) for p in (MUM, DAD, KID, OLDER, STRANGER)}
    return snap


def test_a_birth_case_has_the_births_of_its_parents_and_only_its_own_people() -> None:
    case = snapshot().facts(CaseKey("B1", KID), {"grant_state": "paid", "granted_to": MUM})
    assert isinstance(case, BirthCase)
    assert [b.record_no for b in case.births] == ["B-1", "B-2"]
    assert set(case.persons) == {KID, MUM, DAD}
    assert (case.grant, case.granted_to) == ("paid", MUM)


def test_a_case_without_its_record_is_not_decided() -> None:
    snap = snapshot()
    assert snap.facts(CaseKey("B1", "NOBODY1"), {}) is None
    assert snap.facts(CaseKey("B2", "MSE-9"), {}) is None
    assert snap.facts(CaseKey("B3", "NOBODY1"), {}) is None


def test_a_child_holders_parents_come_from_the_birth_record_when_the_registry_is_silent() -> None:
    snap = snapshot()
    snap.first_births[KID] = KID_BIRTH
    snap.add_certificates([Certificate("MSE-1", KID, "CHILD", date(2025, 4, 1), date(2025, 4, 1))])
    state = {"period_start": date(2025, 4, 1), "period_end": None}
    case = snap.facts(CaseKey("B2", "MSE-1"), state)
    assert isinstance(case, DisabilityCase)
    assert (case.persons[KID].mother_pin, case.persons[KID].father_pin) == (MUM, DAD)
    assert set(case.persons) == {KID, MUM, DAD}
    assert case.current == Period(date(2025, 4, 1))


def test_a_holders_certificates_are_in_the_order_they_were_issued() -> None:
    snap = snapshot()
    snap.add_certificates(
        [
            Certificate("MSE-2", MUM, "II", date(2025, 1, 1), date(2025, 1, 1), source_order=5),
            Certificate("MSE-1", MUM, "III", date(2024, 1, 1), date(2024, 1, 1), source_order=9),
        ]
    )
    case = snap.facts(CaseKey("B2", "MSE-2"), {})
    assert isinstance(case, DisabilityCase)
    assert [c.certificate_no for c in case.certificates] == ["MSE-1", "MSE-2"]


def test_a_funeral_case_names_the_deceased_and_the_informant() -> None:
    snap = snapshot()
    snap.deaths = {STRANGER: DeathRecord("D-1", STRANGER, date(2025, 5, 1), MUM)}
    case = snap.facts(CaseKey("B3", STRANGER), {})
    assert isinstance(case, FuneralCase)
    assert set(case.persons) == {STRANGER, MUM}
