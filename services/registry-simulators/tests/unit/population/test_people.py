"""The residents: PINs, names, phones, languages and families look like the real thing."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date
from typing import Any

PIN = re.compile(r"[0-9A-HJ-NP-Z]{7}")
PHONE = re.compile(r"\+994\d{9}")


def _by_pin(persons: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {p["pin"]: p for p in persons}


def _children_by_mother(persons: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    children = defaultdict(list)
    for person in persons:
        if person["mother_pin"]:
            children[person["mother_pin"]].append(person)
    return children


def test_the_population_has_exactly_the_persons_asked_for(dataset):
    assert len(dataset.persons) == dataset.manifest["options"]["persons"] == 20_000


def test_every_pin_has_the_registry_shape_and_none_is_used_twice(dataset):
    newborns = [
        c["person"]["pin"] for c in dataset.changes if c["pin"] not in _by_pin(dataset.persons)
    ]
    pins = [p["pin"] for p in dataset.persons] + newborns
    assert all(PIN.fullmatch(pin) for pin in pins)
    assert len(set(pins)) == len(pins)
    assert len(set(newborns)) > 100


def test_persons_are_served_with_exactly_the_registry_fields(dataset):
    fields = [
        "pin",
        "given_name",
        "surname",
        "patronymic",
        "birth_date",
        "sex",
        "phone",
        "language",
        "date_of_death",
        "mother_pin",
        "father_pin",
    ]
    assert all(list(p) == fields for p in dataset.persons)
    assert all(list(c) == ["seq", "pin", "person"] for c in dataset.changes)
    assert all(list(c["person"]) == fields for c in dataset.changes)


def test_phones_are_plus_994_and_nine_digits_and_some_are_missing(dataset):
    phones = [p["phone"] for p in dataset.persons]
    assert all(PHONE.fullmatch(phone) for phone in phones if phone is not None)
    assert 0.05 < phones.count(None) / len(phones) < 0.5


def test_most_speak_azerbaijani_some_russian_and_english(dataset):
    languages = Counter(p["language"] for p in dataset.persons)
    assert set(languages) == {"az", "ru", "en"}
    assert languages["az"] > 0.75 * len(dataset.persons)
    assert languages["ru"] > languages["en"] > 0


def test_surnames_take_the_feminine_or_masculine_ending_by_sex(dataset):
    for person in dataset.persons:
        feminine = person["surname"].endswith(("ova", "yeva", "eva"))
        assert feminine == (person["sex"] == "F"), person["surname"]
        assert person["surname"].endswith(("ov", "ova", "yev", "yeva", "ev", "eva"))


def test_patronymics_say_daughter_or_son_of_a_man(dataset):
    for person in dataset.persons:
        father_name, word = person["patronymic"].rsplit(" ", 1)
        assert word == ("qızı" if person["sex"] == "F" else "oğlu")
        assert father_name[0].isupper()


def test_children_carry_their_fathers_name_and_surname(dataset):
    people = _by_pin(dataset.persons)
    checked = 0
    for child in dataset.persons:
        father = people.get(child["father_pin"] or "")
        if father is not None:
            assert child["patronymic"].startswith(father["given_name"] + " ")
            assert child["surname"].rstrip("a") == father["surname"]
            checked += 1
    assert checked > 1000


def test_mothers_have_one_to_five_children_and_some_have_twins(dataset):
    children = _children_by_mother(dataset.persons)
    sizes = Counter(len(kids) for kids in children.values())
    assert set(sizes) == {1, 2, 3, 4, 5}
    twins = [kids for kids in children.values() if len({k["birth_date"] for k in kids}) < len(kids)]
    assert twins


def test_mothers_are_women_old_enough_and_older_than_their_children(dataset):
    people = _by_pin(dataset.persons)
    for mother_pin, kids in _children_by_mother(dataset.persons).items():
        mother = people[mother_pin]
        assert mother["sex"] == "F"
        born = date.fromisoformat(mother["birth_date"])
        for kid in kids:
            assert (date.fromisoformat(kid["birth_date"]) - born).days > 17 * 365


def test_some_fathers_are_unknown_and_some_are_not_in_the_population(dataset):
    people = _by_pin(dataset.persons)
    children = [p for p in dataset.persons if p["mother_pin"] and p["mother_pin"] in people]
    unknown = [c for c in children if c["father_pin"] is None]
    elsewhere = [c for c in children if c["father_pin"] and c["father_pin"] not in people]
    known = [c for c in children if c["father_pin"] in people]
    assert unknown and elsewhere
    assert len(known) > len(unknown) + len(elsewhere)
