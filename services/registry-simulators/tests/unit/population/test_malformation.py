"""Damage done on purpose really breaks the record, and only what it says it breaks."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest
from registry_simulators.population.malformation import (
    bad_pin,
    damage_record,
    damage_row,
    impossible_date,
)

PIN = re.compile(r"[0-9A-HJ-NP-Z]{7}")
BIRTH = {
    "record_no": "B-2026-0001234",
    "kind": "BIRTH",
    "registered_at": "2026-03-02T10:15:00+04:00",
    "office": "Baku-Nasimi",
    "child": {
        "pin": "7KQ2M9A",
        "given_name": "Aysel",
        "surname": "Məmmədova",
        "birth_date": "2026-03-01",
        "sex": "F",
    },
    "mother_pin": "5XH81PZ",
    "father_pin": None,
}
ROW = ["MSE-26-004512", "4RT7Y2K", "ISSUED", "II", "01.03.2026", "01.03.2027", "", "02.03.2026"]


@pytest.mark.parametrize("seed", range(200))
def test_a_bad_pin_never_has_the_registry_shape(seed):
    assert not PIN.fullmatch(bad_pin(random.Random(seed), "7KQ2M9A"))


@pytest.mark.parametrize("seed", range(50))
def test_an_impossible_date_does_not_exist(seed):
    text = impossible_date(random.Random(seed), 2026)
    with pytest.raises(ValueError, match=r"out of range|must be in"):
        date.fromisoformat(text)


@pytest.mark.parametrize("seed", range(50))
def test_a_damaged_record_keeps_its_number_and_the_original_is_untouched(seed):
    original = {**BIRTH, "child": dict(BIRTH["child"])}
    damaged, defect = damage_record(random.Random(seed), original)
    assert original == BIRTH
    assert damaged != BIRTH
    assert damaged["record_no"] == BIRTH["record_no"]
    assert defect in ("missing_field", "bad_pin", "impossible_date")


@pytest.mark.parametrize("seed", range(50))
def test_a_damaged_row_differs_from_the_good_one(seed):
    damaged, defect = damage_row(random.Random(seed), ROW)
    assert damaged != ROW
    if defect == "column_count":
        assert len(damaged) != 8
    else:
        assert len(damaged) == 8
