"""Replaying a batch's events on one record, as if they were applied one by one."""

from __future__ import annotations

from datetime import date

from eligibility_engine.adapters.record_history import StoredRecord, replay
from eligibility_engine.record_folding import Amendment

ORIGINAL = {
    "child_pin": "KID0001",
    "birth_date": "2025-03-01",
    "mother_pin": "MUM0001",
    "father_pin": None,
}
INSERTED_AT_2 = StoredRecord("birth", ORIGINAL, ("KID0001", "MUM0001", None), since=2)
STORED = StoredRecord("birth", ORIGINAL, ("KID0001", "MUM0001", None), since=-1)
NEW_MOTHER = Amendment("C-1", "correct", {"mother_pin": "MUM0002"}, seq=10)


def test_an_unamended_record_touches_its_people_and_is_not_written_back() -> None:
    result = replay(INSERTED_AT_2, [], [2])
    assert result.touched == {2: {"KID0001", "MUM0001"}}
    assert result.versions.at(1) is None
    assert result.versions.at(2) == ("KID0001", "MUM0001", None)
    assert result.final is None


def test_a_correction_touches_the_people_before_and_after_it() -> None:
    result = replay(STORED, [(4, NEW_MOTHER)], [4])
    assert result.touched == {4: {"KID0001", "MUM0001", "MUM0002"}}
    assert result.versions.at(3) == ("KID0001", "MUM0001", None)
    assert result.versions.at(4) == ("KID0001", "MUM0002", None)
    assert result.final is not None
    assert result.final["mother_pin"] == "MUM0002"
    assert result.final["birth_date"] == date(2025, 3, 1)
    assert result.final["corrections"] == ["C-1"]


def test_a_correction_that_came_before_its_record_touches_nothing_then_applies_on_insert() -> None:
    result = replay(INSERTED_AT_2, [(0, NEW_MOTHER)], [0, 2])
    assert 0 not in result.touched
    assert result.touched[2] == {"KID0001", "MUM0001", "MUM0002"}
    assert result.versions.at(2) == ("KID0001", "MUM0002", None)


def test_a_cancellation_is_written_back() -> None:
    cancel = Amendment("K-1", "cancel", {"reason": "twice"}, seq=11)
    result = replay(STORED, [(-1, NEW_MOTHER), (7, cancel)], [7])
    assert result.final is not None
    assert result.final["cancelled"] is True
    assert result.final["mother_pin"] == "MUM0002"
