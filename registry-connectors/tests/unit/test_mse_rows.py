"""A row of a commission file (registries.md §2) into its event, or the defect named."""

from datetime import date

import pytest
from benefits_shared.contracts.life_events import CertificateIssued, CertificateRevoked
from registry_connectors.mse_rows import read_row
from registry_connectors.raw_fields import Malformed

ISSUED = "MSE-26-004512;4RT7Y2K;ISSUED;II;01.03.2026;01.03.2027;;02.03.2026"
OPEN_ENDED = "MSE-26-004513;8PL3N6W;ISSUED;CHILD;15.02.2026;;;02.03.2026"
REVOKED = "MSE-25-019877;6DF2G8H;REVOKED;;;;01.04.2026;02.03.2026"


def row(text: str) -> CertificateIssued | CertificateRevoked:
    return read_row(text.split(";"), "mse_20260302.csv", 2)


def defect_of(text: str) -> tuple[str, str]:
    with pytest.raises(Malformed) as caught:
        row(text)
    return caught.value.defect.kind, caught.value.defect.reason


def replace(text: str, index: int, value: str) -> str:
    fields = text.split(";")
    fields[index] = value
    return ";".join(fields)


def test_an_issued_row_becomes_certificate_issued() -> None:
    event = row(ISSUED)
    assert isinstance(event, CertificateIssued)
    assert (event.certificate_no, event.pin, event.group) == ("MSE-26-004512", "4RT7Y2K", "II")
    assert (event.valid_from, event.valid_until) == (date(2026, 3, 1), date(2027, 3, 1))
    assert (event.issued_at, event.source_file, event.line) == (
        date(2026, 3, 2),
        "mse_20260302.csv",
        2,
    )


def test_an_empty_valid_until_is_open_ended() -> None:
    event = row(OPEN_ENDED)
    assert isinstance(event, CertificateIssued)
    assert (event.group, event.valid_until) == ("CHILD", None)


def test_a_revoked_row_becomes_certificate_revoked_from_its_effective_date() -> None:
    event = row(REVOKED)
    assert isinstance(event, CertificateRevoked)
    assert event.effective_from == date(2026, 4, 1)


@pytest.mark.parametrize("group", ["I", "II", "III", "CHILD"])
def test_every_group_of_the_commission_is_read(group: str) -> None:
    assert row(replace(ISSUED, 3, group)).group == group  # type: ignore[union-attr]


@pytest.mark.parametrize("pin", ["4RT7Y2", "4RT7Y2KK", "4rt7y2k", "4RT7I2K", "ORT7Y2K"])
def test_a_pin_of_the_wrong_shape_is_a_bad_pin(pin: str) -> None:
    assert defect_of(replace(ISSUED, 1, pin))[0] == "bad_pin"


@pytest.mark.parametrize(
    "day", ["31.02.2026", "29.02.2026", "31.04.2026", "01.13.2026", "00.05.2026"]
)
@pytest.mark.parametrize(("text", "index"), [(ISSUED, 4), (ISSUED, 5), (ISSUED, 7), (REVOKED, 6)])
def test_a_date_that_does_not_exist_is_an_impossible_date(text: str, index: int, day: str) -> None:
    assert defect_of(replace(text, index, day))[0] == "impossible_date"


@pytest.mark.parametrize("day", ["2026-03-01", "1.3.2026", "01/03/2026"])
def test_a_date_not_written_dd_mm_yyyy_is_a_bad_value(day: str) -> None:
    assert defect_of(replace(ISSUED, 4, day)) == (
        "bad_value",
        "valid_from must be a date as dd.mm.yyyy",
    )


@pytest.mark.parametrize("group", ["IV", "0", "2", "II/III", "child"])
def test_an_unknown_group_is_named(group: str) -> None:
    assert defect_of(replace(ISSUED, 3, group))[0] == "unknown_group"


@pytest.mark.parametrize("text", [ISSUED + ";", ISSUED.rsplit(";", 1)[0], "MSE-26-1"])
def test_a_row_with_the_wrong_number_of_columns_is_named(text: str) -> None:
    kind, reason = defect_of(text)
    assert kind == "column_count"
    assert reason.endswith("expected 8")


@pytest.mark.parametrize(
    ("text", "index", "field"),
    [
        (ISSUED, 0, "certificate_no"),
        (ISSUED, 1, "pin"),
        (ISSUED, 2, "decision"),
        (ISSUED, 3, "group"),
        (ISSUED, 4, "valid_from"),
        (ISSUED, 7, "issued_at"),
        (REVOKED, 6, "effective_from"),
    ],
)
def test_a_missing_field_is_named(text: str, index: int, field: str) -> None:
    assert defect_of(replace(text, index, "")) == ("missing_field", f"{field} is missing")


def test_an_unknown_decision_is_named() -> None:
    assert defect_of(replace(ISSUED, 2, "SUSPENDED"))[0] == "unknown_decision"


def test_a_certificate_valid_until_before_it_starts_is_refused() -> None:
    assert defect_of(replace(ISSUED, 5, "28.02.2026"))[0] == "bad_value"


def test_blanks_around_a_field_are_ignored() -> None:
    assert row(replace(ISSUED, 3, " II ")).group == "II"  # type: ignore[union-attr]
