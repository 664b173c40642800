"""Every record kind of registries.md §1 becomes its event; every malformation is named."""

from datetime import date, datetime, timedelta, timezone

import pytest
from benefits_shared.contracts.life_events import (
    BirthRegistered,
    DeathRegistered,
    RecordCancelled,
    RecordCorrected,
)
from civil_samples import birth, cancellation, correction, death, with_field, without
from registry_connectors.civil_records import read_record
from registry_connectors.raw_fields import Malformed


def defect_of(raw: object) -> tuple[str, str]:
    with pytest.raises(Malformed) as caught:
        read_record(raw)
    return caught.value.defect.kind, caught.value.defect.reason


def test_a_birth_becomes_birth_registered_about_the_child() -> None:
    read = read_record(birth())
    assert isinstance(read.event, BirthRegistered)
    assert read.subject_pin == "7KQ2M9A"
    assert read.event.child.birth_date == date(2026, 3, 1)
    assert read.event.mother_pin == "5XH81PZ"
    assert read.event.father_pin is None
    assert read.event.registered_at == datetime(
        2026, 3, 2, 10, 15, tzinfo=timezone(timedelta(hours=4))
    )


def test_a_death_becomes_death_registered_about_the_deceased() -> None:
    read = read_record(death())
    assert isinstance(read.event, DeathRegistered)
    assert read.subject_pin == "2BC4D6F"
    assert read.event.death_date == date(2026, 2, 28)


def test_a_cancellation_refers_to_the_record_it_cancels() -> None:
    read = read_record(cancellation())
    assert isinstance(read.event, RecordCancelled)
    assert read.refers_to == "B-2026-0001234"
    assert read.subject_pin is None
    assert read.event.reason == "registered twice"


def test_a_correction_refers_to_the_record_it_corrects_and_carries_the_changes() -> None:
    read = read_record(correction())
    assert isinstance(read.event, RecordCorrected)
    assert read.refers_to == "B-2026-0001234"
    assert read.event.changes == {"mother_pin": "5XH81PQ"}


def test_parents_informant_and_cancellation_reason_may_be_absent() -> None:
    assert read_record(without(birth(), "mother_pin")).event.mother_pin is None  # type: ignore[attr-defined]
    assert read_record(without(death(), "informant_pin")).subject_pin == "2BC4D6F"
    assert read_record(without(cancellation(), "reason")).event.reason == ""  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (birth(), "record_no"),
        (birth(), "seq"),
        (birth(), "kind"),
        (birth(), "registered_at"),
        (birth(), "office"),
        (birth(), "child"),
        (birth(), "child.pin"),
        (birth(), "child.given_name"),
        (birth(), "child.surname"),
        (birth(), "child.birth_date"),
        (birth(), "child.sex"),
        (death(), "office"),
        (death(), "deceased_pin"),
        (death(), "death_date"),
        (cancellation(), "cancels"),
        (cancellation(), "registered_at"),
        (correction(), "corrects"),
        (correction(), "changes"),
    ],
)
def test_a_missing_field_is_named(record: dict[str, object], field: str) -> None:
    assert defect_of(without(record, field)) == ("missing_field", f"{field} is missing")  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["7KQ2M9", "7KQ2M9AB", "7KQ2M9a", "7KQ2MIA", "7KO2M9A", 7222229])
@pytest.mark.parametrize(
    ("record", "field"),
    [
        (birth(), "child.pin"),
        (birth(), "mother_pin"),
        (birth(), "father_pin"),
        (death(), "deceased_pin"),
        (death(), "informant_pin"),
    ],
)
def test_a_pin_of_the_wrong_shape_is_a_bad_pin(
    record: dict[str, object], field: str, bad: object
) -> None:
    assert defect_of(with_field(record, field, bad)) == (  # type: ignore[arg-type]
        "bad_pin",
        f"{field} is not a PIN (7 of [0-9A-HJ-NP-Z])",
    )


def test_an_empty_pin_of_the_subject_is_missing() -> None:
    assert defect_of(with_field(birth(), "child.pin", ""))[0] == "missing_field"


@pytest.mark.parametrize(
    "bad", ["2026-02-30", "2026-02-29", "2026-04-31", "2026-13-01", "2026-05-00"]
)
@pytest.mark.parametrize(
    ("record", "field"), [(birth(), "child.birth_date"), (death(), "death_date")]
)
def test_a_date_that_does_not_exist_is_an_impossible_date(
    record: dict[str, object], field: str, bad: str
) -> None:
    assert defect_of(with_field(record, field, bad)) == (  # type: ignore[arg-type]
        "impossible_date",
        f"{field} is not an existing date",
    )


def test_a_registration_instant_on_a_day_that_does_not_exist_is_an_impossible_date() -> None:
    record = birth(registered_at="2026-02-30T10:00:00+04:00")
    assert defect_of(record)[0] == "impossible_date"


@pytest.mark.parametrize("bad", ["01.03.2026", "2026/03/01", "yesterday", "20260301"])
def test_a_date_in_another_format_is_a_bad_value(bad: str) -> None:
    assert defect_of(with_field(birth(), "child.birth_date", bad))[0] == "bad_value"


def test_a_registration_instant_without_its_offset_is_refused() -> None:
    assert defect_of(birth(registered_at="2026-03-02T10:15:00")) == (
        "bad_value",
        "registered_at must be a date-time with its UTC offset",
    )


def test_an_unknown_kind_is_named() -> None:
    assert defect_of(birth(kind="MARRIAGE"))[0] == "unknown_kind"


@pytest.mark.parametrize(
    ("field", "value"),
    [("child.sex", "X"), ("seq", "1042"), ("seq", -1), ("seq", True), ("office", 12)],
)
def test_a_value_of_the_wrong_kind_is_a_bad_value(field: str, value: object) -> None:
    assert defect_of(with_field(birth(), field, value))[0] == "bad_value"


def test_a_record_that_is_not_an_object_is_a_bad_value() -> None:
    assert defect_of(["BIRTH"])[0] == "bad_value"


@pytest.mark.parametrize(
    ("changes", "kind"),
    [
        ({"mother_pin": "5xh81pq"}, "bad_pin"),
        ({"child": {"pin": "123"}}, "bad_pin"),
        ({"child": {"birth_date": "2026-02-31"}}, "impossible_date"),
        ({}, "bad_value"),
    ],
)
def test_a_correction_with_malformed_changes_is_refused(changes: object, kind: str) -> None:
    assert defect_of(correction(changes=changes))[0] == kind


def test_a_correction_may_clear_a_pin() -> None:
    assert read_record(correction(changes={"father_pin": None})).refers_to == "B-2026-0001234"


def test_a_reason_never_quotes_the_value_it_refuses() -> None:
    _, reason = defect_of(with_field(birth(), "child.pin", "7kq2m9a"))
    assert "7kq2m9a" not in reason.lower()
