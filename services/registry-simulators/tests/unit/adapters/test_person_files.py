"""The persons: the snapshot overlaid by the latest change of each person."""

from __future__ import annotations

import json

from registry_simulators.adapters.person_files import PersonFiles


def _person(pin, **fields):
    return {
        "pin": pin,
        "given_name": "Leyla",
        "surname": "Məmmədova",
        "patronymic": "Rauf qızı",
        "birth_date": "1994-07-12",
        "sex": "F",
        "phone": None,
        "language": "az",
        "date_of_death": None,
        "mother_pin": None,
        "father_pin": None,
        **fields,
    }


def _files(tmp_path):
    snapshot = tmp_path / "population.jsonl"
    changes = tmp_path / "population_changes.jsonl"
    people = [_person("5XH81PZ"), _person("1QW2E3R"), _person("9ZZ0A1B")]
    snapshot.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in people), "utf-8")
    updates = [
        {"seq": 1, "pin": "1QW2E3R", "person": _person("1QW2E3R", phone="+994501234567")},
        {"seq": 2, "pin": "7KQ2M9A", "person": _person("7KQ2M9A", birth_date="2026-03-01")},
        {"seq": 3, "pin": "1QW2E3R", "person": _person("1QW2E3R", date_of_death="2026-02-28")},
    ]
    changes.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in updates), "utf-8")
    return PersonFiles(snapshot, changes, tmp_path / "index")


def test_a_person_without_changes_is_served_from_the_snapshot_byte_for_byte(tmp_path):
    files = _files(tmp_path)
    line = (tmp_path / "population.jsonl").read_bytes().splitlines()[0]
    assert files.person("5XH81PZ") == line


def test_a_changed_person_is_served_in_their_latest_state(tmp_path):
    person = json.loads(_files(tmp_path).person("1QW2E3R"))
    assert person["date_of_death"] == "2026-02-28"
    assert person["phone"] is None  # the latest change carries the whole state


def test_a_person_added_by_the_change_feed_is_known(tmp_path):
    files = _files(tmp_path)
    assert json.loads(files.person("7KQ2M9A"))["birth_date"] == "2026-03-01"
    assert files.count == 4


def test_an_unknown_pin_is_not_found(tmp_path):
    assert _files(tmp_path).person("AAAAAAA") is None


def test_the_listing_goes_in_ascending_pin_after_the_given_one(tmp_path):
    files = _files(tmp_path)
    assert [pin for pin, _ in files.listing("", 2)] == ["1QW2E3R", "5XH81PZ"]
    assert [pin for pin, _ in files.listing("5XH81PZ", 10)] == ["7KQ2M9A", "9ZZ0A1B"]


def test_a_batch_answers_the_known_ones(tmp_path):
    found = _files(tmp_path).people(["9ZZ0A1B", "AAAAAAA", "5XH81PZ", "9ZZ0A1B"])
    assert sorted(found) == ["5XH81PZ", "9ZZ0A1B"]
