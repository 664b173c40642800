"""The population registry's persons into ``PersonRecord`` versions (registries.md §3)."""

import copy
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from benefits_shared.pin import PinHasher
from registry_connectors.population_records import (
    PersonsPlanner,
    Versioned,
    change_versions,
    changes_cursor,
    read_person,
)
from registry_connectors.raw_fields import Malformed

HASHER = PinHasher("unit-test-key")
PLANNER = PersonsPlanner(HASHER, "persons")
NOW = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
LEYLA = {
    "pin": "5XH81PZ",
    "given_name": "Leyla",
    "surname": "Mammadova",
    "patronymic": "Rauf qızı",
    "birth_date": "1994-07-12",
    "sex": "F",
    "phone": "+994501234567",
    "language": "az",
    "date_of_death": None,
    "mother_pin": "1QW2E3R",
    "father_pin": None,
}


def leyla(**changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(LEYLA), **changes}


def defect_of(raw: object) -> str:
    with pytest.raises(Malformed) as caught:
        read_person(raw, 0)
    return caught.value.defect.kind


def test_the_registrys_person_becomes_a_person_record() -> None:
    record = read_person(leyla(), 0)
    assert (record.pin, record.full_name, record.birth_date) == (
        "5XH81PZ",
        "Leyla Mammadova",
        date(1994, 7, 12),
    )
    assert (record.phone, record.language, record.mother_pin) == ("+994501234567", "az", "1QW2E3R")


def test_phone_death_date_patronymic_and_parents_may_be_null() -> None:
    record = read_person(leyla(phone=None, patronymic=None, mother_pin=None), 7)
    assert (record.phone, record.patronymic, record.registry_seq) == (None, None, 7)


@pytest.mark.parametrize(
    ("changes", "kind"),
    [
        ({"pin": "5XH81P"}, "bad_pin"),
        ({"mother_pin": "1qw2e3r"}, "bad_pin"),
        ({"birth_date": "1994-02-30"}, "impossible_date"),
        ({"date_of_death": "2026-02-29"}, "impossible_date"),
        ({"language": "de"}, "bad_value"),
        ({"sex": "X"}, "bad_value"),
        ({"given_name": None}, "missing_field"),
    ],
)
def test_a_malformed_person_is_named(changes: dict[str, Any], kind: str) -> None:
    assert defect_of(leyla(**changes)) == kind


def test_the_full_copy_is_version_zero_keyed_by_the_pin_hash() -> None:
    plan = PLANNER.plan([Versioned(leyla(), 0)], NOW)
    (message,) = plan.messages
    assert message.key == HASHER.kafka_key("5XH81PZ")
    assert json.loads(message.value)["registry_seq"] == 0


def test_a_change_is_the_version_of_its_seq() -> None:
    versions = change_versions([{"seq": 9, "pin": "5XH81PZ", "person": leyla(phone=None)}])
    plan = PLANNER.plan(versions, NOW)
    assert json.loads(plan.messages[0].value)["registry_seq"] == 9


def test_the_same_version_sent_again_has_the_same_id() -> None:
    one = PLANNER.plan([Versioned(leyla(), 3)], NOW).messages[0]
    two = PLANNER.plan([Versioned(leyla(), 3)], datetime(2027, 1, 1, tzinfo=UTC)).messages[0]
    assert one.id == two.id


@pytest.mark.parametrize(
    "change",
    [
        {"seq": 9, "pin": "5XH81PZ", "person": None},
        {"seq": 9, "pin": "2BC4D6F", "person": LEYLA},
        {"seq": "9", "pin": "5XH81PZ", "person": LEYLA},
        ["not", "a", "change"],
    ],
)
def test_an_unusable_change_is_quarantined_in_the_persons_dead_letters(change: object) -> None:
    plan = PLANNER.plan(change_versions([change]), NOW)
    assert (plan.published, plan.quarantined) == (0, 1)
    assert plan.messages[0].topic == "persons.dlq"


def test_a_quarantined_person_is_known_by_the_hash_of_its_pin_never_the_pin() -> None:
    plan = PLANNER.plan([Versioned(leyla(birth_date="1994-02-30"), 0)], NOW)
    headers = dict(plan.messages[0].headers)
    assert headers["dlq_pin_hash"] == HASHER.digest("5XH81PZ").encode()
    assert b"5XH81PZ" not in b"".join(headers.values()) + (plan.messages[0].key or b"")


def test_the_changes_cursor_is_the_highest_seq() -> None:
    changes = [
        {"seq": 4, "pin": "5XH81PZ", "person": LEYLA},
        {"seq": 9, "pin": "x", "person": LEYLA},
    ]
    assert changes_cursor(changes, 2, 9) == 9
    assert changes_cursor([], 9, 9) == 9
