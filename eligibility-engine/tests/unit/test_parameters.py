"""Parameters: values by in-force date, read exactly, never a silent zero."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from importlib.resources import as_file, files
from pathlib import Path

import pytest
from eligibility_engine.errors import (
    InvalidParametersError,
    ParameterNotInForceError,
    UnknownParameterError,
)
from eligibility_engine.parameters import Parameters

PACKAGED = Parameters.packaged()


def write(directory: Path, name: str, text: str) -> Parameters:
    (directory / name).write_text(text, encoding="utf-8")
    return Parameters.from_directory(directory)


LEAF = """
rate:
  description: a rate
  metadata: {{unit: {unit}, reference: "docs/policy.md, somewhere"}}
  values:
{values}
"""


def leaf(unit: str, values: str) -> str:
    return LEAF.format(unit=unit, values=values)


def test_a_value_is_in_force_from_its_date_until_the_next() -> None:
    name = "birth_grant.base_amount"
    assert PACKAGED.value_at(name, date(2024, 12, 31)) == Decimal("200.00")
    assert PACKAGED.value_at(name, date(2025, 1, 1)) == Decimal("250.00")
    assert PACKAGED.value_at(name, date(2040, 1, 1)) == Decimal("250.00")


def test_a_date_before_any_value_raises_instead_of_reading_zero() -> None:
    with pytest.raises(ParameterNotInForceError, match=r"birth_grant.base_amount.*2022-12-31"):
        PACKAGED.value_at("birth_grant.base_amount", date(2022, 12, 31))


def test_an_unknown_name_raises() -> None:
    with pytest.raises(UnknownParameterError, match=r"birth_grant\.base_amout"):
        PACKAGED.value_at("birth_grant.base_amout", date(2025, 1, 1))


def test_nested_nodes_are_named_by_their_path() -> None:
    reading = PACKAGED.reading("disability_allowance.monthly_rate.CHILD", date(2026, 2, 1))
    assert (reading.key, reading.text) == (
        "disability_allowance.monthly_rate.CHILD@2026-01-01",
        "220.00",
    )


def test_every_packaged_parameter_has_a_description_unit_and_policy_reference() -> None:
    for name in PACKAGED.names():
        parameter = PACKAGED.parameter(name)
        assert parameter.description
        assert parameter.reference.startswith("docs/policy.md")
        assert parameter.unit in {"AZN", "date", "years", "days", "rank"}


def test_money_is_read_as_the_exact_decimal_written(tmp_path: Path) -> None:
    parameters = write(tmp_path, "x.yaml", leaf("AZN", "    2023-01-01: {value: 0.10}"))
    value = parameters.value_at("x.rate", date(2023, 1, 1))
    assert isinstance(value, Decimal)
    assert value == Decimal("0.10")
    assert value * 3 == Decimal("0.30")


def test_a_null_value_ends_the_parameter(tmp_path: Path) -> None:
    values = "    2023-01-01: {value: 5.00}\n    2024-01-01: {value: null}"
    parameters = write(tmp_path, "x.yaml", leaf("AZN", values))
    assert parameters.value_at("x.rate", date(2023, 12, 31)) == Decimal("5.00")
    with pytest.raises(ParameterNotInForceError):
        parameters.value_at("x.rate", date(2024, 1, 1))


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (leaf("AZN", "    2023-01-01: {value: 2023-01-01}"), "not a value in AZN"),
        (leaf("years", "    2023-01-01: {value: 18.5}"), "not a value in years"),
        (leaf("parsecs", "    2023-01-01: {value: 1}"), "unit"),
        (leaf("AZN", "    someday: {value: 1.00}"), "not a date"),
        (leaf("AZN", "    2023-01-01: 1.00"), "needs a 'value'"),
        ("rate:\n  description: x\n  values:\n    2023-01-01: {value: 1}\n", "reference"),
    ],
)
def test_a_malformed_file_is_refused_with_the_reason(
    tmp_path: Path, text: str, complaint: str
) -> None:
    with pytest.raises(InvalidParametersError, match=complaint):
        write(tmp_path, "x.yaml", text)


def test_an_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidParametersError):
        Parameters.from_directory(tmp_path)


def test_the_fingerprint_changes_with_any_value(tmp_path: Path) -> None:
    with as_file(files("eligibility_engine") / "parameters") as packaged:
        shutil.copytree(packaged, tmp_path / "p")
    same = Parameters.from_directory(tmp_path / "p")
    grant = tmp_path / "p" / "birth_grant.yaml"
    grant.write_text(grant.read_text().replace("250.00", "260.00"), encoding="utf-8")
    changed = Parameters.from_directory(tmp_path / "p")
    assert same.fingerprint == PACKAGED.fingerprint
    assert changed.fingerprint != PACKAGED.fingerprint
    assert changed.value_at("birth_grant.base_amount", date(2025, 1, 1)) == Decimal("260.00")
