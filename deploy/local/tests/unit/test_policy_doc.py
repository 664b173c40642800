"""docs/policy.md shows the parameters the engine uses: its tables are the YAML files'."""

from __future__ import annotations

import shutil
from importlib.resources import as_file, files
from pathlib import Path

import pytest
from devstack.policy_doc import BLOCK, as_list, as_table, main, refreshed
from eligibility_engine.parameters import Parameters

ROOT = Path(__file__).resolve().parents[4]
POLICY = ROOT / "docs" / "policy.md"


def test_the_tables_of_docs_policy_md_are_those_of_the_parameter_files() -> None:
    text = POLICY.read_text(encoding="utf-8")
    assert refreshed(text, Parameters.packaged()) == text, "run `uv run devstack policy-doc`"


def test_every_parameter_the_engine_reads_is_in_a_table() -> None:
    text = POLICY.read_text(encoding="utf-8")
    shown = {name for block in BLOCK.finditer(text) for name in block["names"].split()}
    assert shown == set(Parameters.packaged().names())


@pytest.fixture
def changed_parameters(tmp_path: Path) -> Parameters:
    """The packaged parameters with the 2025 birth-grant base amount changed."""
    with as_file(files("eligibility_engine") / "parameters") as packaged:
        shutil.copytree(packaged, tmp_path / "parameters")
    b1 = tmp_path / "parameters" / "birth_grant.yaml"
    b1.write_text(b1.read_text().replace("value: 250.00", "value: 260.00"), encoding="utf-8")
    return Parameters.from_directory(tmp_path / "parameters")


def test_a_value_changed_in_the_yaml_makes_the_document_disagree(
    changed_parameters: Parameters,
) -> None:
    text = POLICY.read_text(encoding="utf-8")
    changed = refreshed(text, changed_parameters)
    assert changed != text
    assert "| 2025-01-01 | 260.00 | 100.00 |" in changed


def test_the_check_fails_and_the_command_rewrites_a_stale_document(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    stale = POLICY.read_text(encoding="utf-8").replace(
        "| 2025-01-01 | 250.00 |", "| 2025-01-01 | 1.00 |"
    )
    (tmp_path / "docs" / "policy.md").write_text(stale, encoding="utf-8")
    assert main(tmp_path, check=True) == 1
    assert main(tmp_path, check=False) == 0
    assert (tmp_path / "docs" / "policy.md").read_text(encoding="utf-8") == POLICY.read_text(
        encoding="utf-8"
    )


def test_a_table_has_a_row_per_change_and_a_dash_before_a_parameter_starts() -> None:
    rates = Parameters.packaged()
    chosen = [rates.parameter("persons.adult_age"), rates.parameter("funeral_allowance.amount")]
    assert as_table(chosen).splitlines()[:5] == [
        "| in force from | `adult_age` | `amount` |",
        "| --- | ---: | ---: |",
        "| 2000-01-01 | 18 | — |",
        "| 2023-01-01 | 18 | 300.00 |",
        "| 2026-01-01 | 18 | 350.00 |",
    ]
    assert as_list(chosen[1:]).splitlines()[2:4] == [
        "| `funeral_allowance.amount` | 2023-01-01 | 300.00 | AZN |",
        "| `funeral_allowance.amount` | 2026-01-01 | 350.00 | AZN |",
    ]
