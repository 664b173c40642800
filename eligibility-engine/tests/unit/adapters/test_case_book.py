"""A batch's decisions in memory: only what differs is decided, and the case moves on."""

from __future__ import annotations

from datetime import date

from eligibility_engine import birth_grant
from eligibility_engine.adapters.case_book import CaseBook
from eligibility_engine.decision_ids import fingerprint
from eligibility_engine.facts import BirthCase, BirthRecord, Person
from eligibility_engine.outcomes import RuleResult
from eligibility_engine.parameters import Parameters

PARAMETERS = Parameters.packaged()
MOTHER = Person("MUM0001", "Leyla", "Mammadova", date(1994, 7, 12), "F", "+994501234567")
BIRTH = BirthRecord("B-2025-0000001", "KID0001", date(2025, 3, 1), mother_pin="MUM0001")
ON = date(2025, 3, 5)


def assigned() -> RuleResult:
    return birth_grant.decide(BirthCase(BIRTH, {"MUM0001": MOTHER}), PARAMETERS, ON)


def unresolved() -> RuleResult:
    return birth_grant.decide(BirthCase(BIRTH, {}), PARAMETERS, ON)


def test_a_new_case_gets_its_first_decision_and_a_state_that_says_so() -> None:
    book = CaseBook({"B1:x": {}})
    decided = book.record("B1:x", "KID0001", assigned(), ON)
    assert decided is not None and decided.supersedes is None
    state = book.state("B1:x")
    assert state["decision_count"] == 1
    assert state["last_fingerprint"] == fingerprint(assigned())
    assert (state["grant_state"], state["granted_to"]) == ("assigned", "MUM0001")
    assert book.decided == [(decided, 1)] and book.changed == {"B1:x"}


def test_the_same_decision_again_is_no_decision() -> None:
    book = CaseBook({"B1:x": {}})
    book.record("B1:x", "KID0001", assigned(), ON)
    assert book.record("B1:x", "KID0001", assigned(), ON) is None
    assert len(book.decided) == 1


def test_a_different_decision_supersedes_the_last_one_at_the_next_position() -> None:
    book = CaseBook({"B1:x": {}})
    first = book.record("B1:x", "KID0001", unresolved(), ON)
    second = book.record("B1:x", "KID0001", assigned(), ON)
    assert first is not None and second is not None
    assert second.supersedes == first.decision_id
    assert [position for _, position in book.decided] == [1, 2]
    assert book.state("B1:x")["grant_state"] == "assigned"


def test_a_paid_grant_stays_paid_when_assigned_again() -> None:
    book = CaseBook({"B1:x": {"grant_state": "paid", "decision_count": 3}})
    book.record("B1:x", "KID0001", assigned(), ON)
    assert book.state("B1:x")["grant_state"] == "paid"
    assert book.decided[0][1] == 4


def test_taken_decisions_leave_the_book_with_their_states_which_it_keeps() -> None:
    book = CaseBook({"B1:x": {}})
    decided = book.record("B1:x", "KID0001", assigned(), ON)
    taken = book.take()
    assert taken.decisions == [(decided, 1)]
    assert [state["case_id"] for state in taken.states] == ["B1:x"]
    assert (book.decided, book.changed, book.take().decisions) == ([], set(), [])
    assert book.exists("B1:x") and not book.exists("B1:y")
