"""Which cases a person touches, as the rows stood at a point of the batch."""

from __future__ import annotations

from eligibility_engine.adapters.family_graph import FamilyGraph
from eligibility_engine.adapters.record_history import Versions
from eligibility_engine.case_keys import CaseKey

MUM, DAD, OTHER_MUM, KID, HALF_SIBLING, GRANNY = (
    "MUM0001",
    "DAD0001",
    "MUM0002",
    "KID0001",
    "KID0002",
    "GRN0001",
)


def family() -> FamilyGraph:
    graph = FamilyGraph()
    graph.births.stored("B-1", (KID, MUM, DAD))
    graph.births.stored("B-2", (HALF_SIBLING, OTHER_MUM, DAD))
    graph.births.stored("B-3", ("STRANGR", "MUM0009", None))
    graph.deaths.stored("D-1", (GRANNY, MUM))
    graph.certificates.stored("MSE-1", (KID,))
    return graph


def test_a_mother_touches_her_childs_grant_the_half_siblings_and_the_death_she_reported() -> None:
    touched = family().cases_of_people({MUM}, position=0)
    assert touched == {
        CaseKey("B1", KID),
        CaseKey("B1", HALF_SIBLING),  # through the child's father
        CaseKey("B3", GRANNY),
        CaseKey("B2", "MSE-1"),  # a certificate held by her child
    }


def test_a_child_touches_its_own_grant_and_its_siblings() -> None:
    touched = family().cases_of_people({HALF_SIBLING}, position=0)
    assert {CaseKey("B1", KID), CaseKey("B1", HALF_SIBLING)} <= touched
    assert CaseKey("B1", "STRANGR") not in touched


def test_nobody_touches_nothing() -> None:
    assert family().cases_of_people(set(), position=0) == set()


def test_a_record_inserted_later_in_the_batch_is_not_seen_before_its_position() -> None:
    graph = FamilyGraph()
    graph.births.replayed("B-9", Versions([(5, (KID, MUM, None))]))
    assert graph.cases_of_people({MUM}, position=4) == set()
    assert graph.cases_of_people({MUM}, position=5) == {CaseKey("B1", KID)}


def test_a_correction_moves_a_child_to_another_mother_from_its_position_on() -> None:
    graph = FamilyGraph()
    graph.births.replayed("B-1", Versions([(-1, (KID, MUM, None)), (3, (KID, OTHER_MUM, None))]))
    assert graph.cases_of_people({MUM}, position=2) == {CaseKey("B1", KID)}
    assert graph.cases_of_people({MUM}, position=3) == set()
    assert graph.cases_of_people({OTHER_MUM}, position=3) == {CaseKey("B1", KID)}


def test_a_certificate_is_touched_through_whoever_holds_it_at_that_point() -> None:
    graph = FamilyGraph()
    graph.certificates.replayed("MSE-1", Versions([(-1, (KID,)), (2, (HALF_SIBLING,))]))
    assert graph.cases_of_holders({KID}, position=1) == {CaseKey("B2", "MSE-1")}
    assert graph.cases_of_holders({KID}, position=2) == set()
    assert graph.cases_of_holders({HALF_SIBLING}, position=2) == {CaseKey("B2", "MSE-1")}


def test_what_the_batch_replayed_wins_over_what_the_table_said() -> None:
    graph = FamilyGraph()
    graph.births.replayed("B-1", Versions([(0, (KID, OTHER_MUM, None))]))
    graph.births.stored("B-1", (KID, MUM, None))
    assert graph.cases_of_people({MUM}, position=9) == set()
