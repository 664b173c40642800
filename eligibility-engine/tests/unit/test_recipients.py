"""Recipients: mother, else father; an informant must be an adult who can receive."""

from __future__ import annotations

from datetime import date

from eligibility_engine import recipients
from eligibility_engine.facts import Person

ON = date(2026, 3, 1)


def person(pin: str, born: date = date(1990, 1, 1), died: date | None = None) -> Person:
    return Person(pin, "Test", "Person", born, "F", date_of_death=died)


def test_the_mother_comes_first() -> None:
    known = {"MUM0001": person("MUM0001"), "DAD0001": person("DAD0001")}
    choice = recipients.parent("MUM0001", "DAD0001", known, ON)
    assert (choice.role, choice.passed_over) == ("mother", ())


def test_a_pin_of_the_wrong_shape_is_no_pin() -> None:
    known = {"mum-1": person("mum-1"), "DAD0001": person("DAD0001")}
    choice = recipients.parent("mum-1", "DAD0001", known, ON)
    assert choice.role == "father"
    assert choice.explain() == "paid to the father (the mother has no PIN)"


def test_nobody_is_chosen_when_no_parent_can_receive() -> None:
    known = {"MUM0001": person("MUM0001", died=date(2026, 2, 1))}
    choice = recipients.parent("MUM0001", None, known, ON)
    assert choice.person is None
    assert choice.explain() == (
        "no recipient: the mother died on 2026-02-01; the father has no PIN"
    )


def test_an_informant_is_an_adult_from_the_18th_birthday() -> None:
    known = {"WTNS001": person("WTNS001", born=date(2008, 3, 1))}
    assert recipients.informant("WTNS001", known, date(2026, 2, 28), 18).person is None
    assert recipients.informant("WTNS001", known, date(2026, 3, 1), 18).role == "informant"


def test_a_grant_already_paid_stays_with_its_payee_who_died_after() -> None:
    known = {"MUM0001": person("MUM0001", died=date(2026, 2, 1)), "DAD0001": person("DAD0001")}
    roles = {"mother": "MUM0001", "father": "DAD0001"}
    choice = recipients.already_paid(known, "MUM0001", roles)
    assert choice is not None
    assert choice.role == "mother"
    assert choice.explain() == "paid to the mother (already paid to them)"


def test_a_grant_paid_to_someone_the_record_no_longer_names_goes_by_the_rules() -> None:
    known = {"MUM0001": person("MUM0001"), "MUM0002": person("MUM0002")}
    roles = {"mother": "MUM0002", "father": None}
    assert recipients.already_paid(known, "MUM0001", roles) is None
    assert recipients.already_paid(known, None, roles) is None
