"""Facts: ages and being alive, on a given day."""

from __future__ import annotations

from datetime import date

from eligibility_engine.facts import Person


def born(day: date, died: date | None = None) -> Person:
    return Person("MUM0001", "Leyla", "Mammadova", day, "F", date_of_death=died)


def test_a_person_turns_an_age_on_the_anniversary_of_the_birth_date() -> None:
    assert born(date(2008, 5, 10)).turns(18) == date(2026, 5, 10)


def test_a_person_born_on_29_february_turns_an_age_on_1_march_of_a_common_year() -> None:
    assert born(date(2008, 2, 29)).turns(18) == date(2026, 3, 1)
    assert born(date(2008, 2, 29)).turns(16) == date(2024, 2, 29)


def test_a_person_is_not_alive_on_the_day_they_died() -> None:
    person = born(date(1990, 1, 1), died=date(2026, 3, 5))
    assert person.alive_on(date(2026, 3, 4))
    assert not person.alive_on(date(2026, 3, 5))
    assert born(date(1990, 1, 1)).alive_on(date(2100, 1, 1))
