"""The policy's amounts, dates and counts, by in-force date, read from YAML (never literals).

Modelled on OpenFisca's ``parameters/``: every file is a node, nested mappings are
sub-nodes, and a mapping holding ``values`` is a parameter, named by its path
(``birth_grant.base_amount``, ``disability_allowance.monthly_rate.II``)::

    base_amount:
      description: Grant paid for every child, by the child's birth date
      metadata: {unit: AZN, reference: "docs/policy.md, B1 — Birth grant, table ..."}
      values:
        2023-01-01: {value: 200.00}
        2025-01-01: {value: 250.00}

A value is in force from its date until the next one; ``value: null`` ends it. Asking for
a date with no value in force raises ``ParameterNotInForceError``: never a silent zero.
Money (unit ``AZN``) is read as ``Decimal`` straight from the YAML text, never via float.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from eligibility_engine.errors import (
    InvalidParametersError,
    ParameterNotInForceError,
    UnknownParameterError,
)

Value = Decimal | int | date
UNITS: Mapping[str, type] = {"AZN": Decimal, "date": date, "years": int, "days": int, "rank": int}
_NODE_KEYS = frozenset({"description", "metadata", "documentation"})


class DecimalSafeLoader(yaml.SafeLoader):
    """YAML's safe loader, reading every float (``250.00``) as the exact ``Decimal``."""


DecimalSafeLoader.add_constructor(
    "tag:yaml.org,2002:float",
    lambda loader, node: Decimal(loader.construct_scalar(node)),  # type: ignore[arg-type]
)


def read_yaml(text: str) -> Any:
    """Parse YAML with floats as Decimal: the one way this package reads YAML."""
    return yaml.load(text, Loader=DecimalSafeLoader)  # noqa: S506 (a SafeLoader subclass)


@dataclass(frozen=True, slots=True)
class ParameterReading:
    """One value the engine used: which parameter, in force from when, and what it was."""

    name: str
    in_force_from: date
    value: Value

    @property
    def key(self) -> str:
        """How a decision records it: ``birth_grant.base_amount@2025-01-01``."""
        return f"{self.name}@{self.in_force_from.isoformat()}"

    @property
    def text(self) -> str:
        return self.value.isoformat() if isinstance(self.value, date) else str(self.value)

    @property
    def amount(self) -> Decimal:
        return _typed(self, Decimal)

    @property
    def count(self) -> int:
        return _typed(self, int)

    @property
    def day(self) -> date:
        return _typed(self, date)


T = TypeVar("T")


def _typed(reading: ParameterReading, kind: type[T]) -> T:
    if not isinstance(reading.value, kind):
        raise InvalidParametersError(f"{reading.name} is not a {kind.__name__}")
    return reading.value


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    description: str
    unit: str
    reference: str
    starts: tuple[date, ...]
    values: tuple[Value | None, ...]

    def reading(self, on: date) -> ParameterReading:
        index = bisect.bisect_right(self.starts, on) - 1
        value = self.values[index] if index >= 0 else None
        if value is None:
            raise ParameterNotInForceError(self.name, on, self.starts)
        return ParameterReading(self.name, self.starts[index], value)


class Parameters:
    """Every parameter of one parameter version, by dotted name."""

    def __init__(self, parameters: Mapping[str, Parameter], fingerprint: str) -> None:
        self._parameters = dict(parameters)
        self.fingerprint = fingerprint

    @classmethod
    def packaged(cls) -> Parameters:
        """The parameters shipped with this package (``eligibility_engine/parameters/``)."""
        return _packaged()

    @classmethod
    def from_directory(cls, directory: Traversable | Path) -> Parameters:
        """Load every ``*.yaml`` under ``directory``; InvalidParametersError if one is wrong."""
        digest = hashlib.sha256()
        found: dict[str, Parameter] = {}
        for prefix, source in sorted(_yaml_files(directory, ""), key=lambda item: item[0]):
            text = source.read_text(encoding="utf-8")
            digest.update(prefix.encode() + b"\0" + text.encode() + b"\0")
            found.update(_node(prefix, read_yaml(text), source.name))
        if not found:
            raise InvalidParametersError(f"no parameters found in {directory}")
        return cls(found, digest.hexdigest()[:16])

    def parameter(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            raise UnknownParameterError(name) from None

    def reading(self, name: str, on: date) -> ParameterReading:
        """The value of ``name`` in force on ``on``, with where it came from."""
        return self.parameter(name).reading(on)

    def value_at(self, name: str, on: date) -> Value:
        return self.reading(name, on).value

    def changes(self, name: str) -> tuple[date, ...]:
        """The dates on which ``name`` takes a new value (or ends)."""
        return self.parameter(name).starts

    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self._parameters))


@cache
def _packaged() -> Parameters:
    return Parameters.from_directory(files("eligibility_engine") / "parameters")


def _yaml_files(directory: Traversable | Path, prefix: str) -> Iterator[tuple[str, Traversable]]:
    for entry in directory.iterdir():
        if entry.is_dir():
            yield from _yaml_files(entry, f"{prefix}{entry.name}.")
        elif entry.name.endswith(".yaml"):
            yield f"{prefix}{entry.name.removesuffix('.yaml')}", entry


def _node(name: str, node: object, source: str) -> dict[str, Parameter]:
    if not isinstance(node, dict):
        raise InvalidParametersError(f"{source}: {name} must be a mapping")
    if "values" in node:
        return {name: _parameter(name, node, source)}
    found: dict[str, Parameter] = {}
    for key, child in node.items():
        if key not in _NODE_KEYS:
            found.update(_node(f"{name}.{key}", child, source))
    return found


def _parameter(name: str, node: dict[Any, Any], source: str) -> Parameter:
    metadata = node.get("metadata") or {}
    unit, reference = metadata.get("unit"), metadata.get("reference")
    description, values = node.get("description"), node["values"]
    if not (isinstance(unit, str) and unit in UNITS and reference and description):
        raise InvalidParametersError(
            f"{source}: {name} needs a description, metadata.reference and a unit of "
            f"{', '.join(UNITS)}"
        )
    if not isinstance(values, dict) or not values:
        raise InvalidParametersError(f"{source}: {name}.values must map dates to values")
    pairs = sorted(
        (
            (_start(name, start, source), _value(name, item, unit, source))
            for start, item in values.items()
        ),
        key=lambda pair: pair[0],
    )
    starts, in_force = tuple(s for s, _ in pairs), tuple(v for _, v in pairs)
    return Parameter(name, str(description), unit, str(reference), starts, in_force)


def _start(name: str, start: object, source: str) -> date:
    if not isinstance(start, date):
        raise InvalidParametersError(f"{source}: {name}: {start!r} is not a date (YYYY-MM-DD)")
    return start


def _value(name: str, item: object, unit: str, source: str) -> Value | None:
    if not isinstance(item, dict) or "value" not in item:
        raise InvalidParametersError(f"{source}: {name}: each date needs a 'value'")
    value = item["value"]
    if value is None:
        return None
    if unit == "AZN" and isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if isinstance(value, bool) or not isinstance(value, UNITS[unit]):
        raise InvalidParametersError(f"{source}: {name}: {value!r} is not a value in {unit}")
    assert isinstance(value, Decimal | int | date)
    return value
