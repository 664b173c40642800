import json
from pathlib import Path
from typing import Any

import pytest
from benefits_shared.contracts import REGISTRY
from benefits_shared.contracts.catalog import compatibility_problems, json_schemas, render

DOCS = Path(__file__).resolve().parents[3] / "docs" / "contracts"
RELEASED = sorted((DOCS / "released").glob("*.json"))


def test_the_published_catalog_is_up_to_date() -> None:
    for file, text in render(DOCS).items():
        assert file.exists(), f"{file} missing: regenerate the catalog (see docs/contracts)"
        assert file.read_text() == text, f"{file} is stale: regenerate the catalog"


@pytest.mark.parametrize("released", RELEASED, ids=[p.stem for p in RELEASED])
def test_every_released_type_is_still_published_compatibly(released: Path) -> None:
    current = json_schemas()
    assert released.stem in current, f"{released.stem} was released and must stay"
    old = json.loads(released.read_text())
    assert compatibility_problems(old, current[released.stem]) == []


def _schema(**props: Any) -> dict[str, Any]:
    return {"properties": props, "required": sorted(props)}


def test_a_removed_field_breaks_compatibility() -> None:
    old = _schema(a={"type": "string"}, b={"type": "integer"})
    new = _schema(a={"type": "string"})
    assert "b: removed" in compatibility_problems(old, new)


def test_a_changed_type_breaks_compatibility() -> None:
    assert compatibility_problems(_schema(a={"type": "string"}), _schema(a={"type": "integer"}))


def test_an_added_optional_field_is_compatible() -> None:
    old = _schema(a={"type": "string"})
    new = {**_schema(a={"type": "string"}, b={"type": "string"}), "required": ["a"]}
    assert compatibility_problems(old, new) == []


def test_every_type_in_the_registry_is_released() -> None:
    assert {p.stem for p in RELEASED} == set(REGISTRY)
