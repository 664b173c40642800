"""The records of registries.md §1, as the feed sends them (fresh copies per call)."""

from __future__ import annotations

import copy
from typing import Any

_BIRTH = {
    "seq": 1042,
    "record_no": "B-2026-0001234",
    "kind": "BIRTH",
    "registered_at": "2026-03-02T10:15:00+04:00",
    "office": "Baku-Nasimi",
    "child": {
        "pin": "7KQ2M9A",
        "given_name": "Aysel",
        "surname": "Mammadova",
        "birth_date": "2026-03-01",
        "sex": "F",
    },
    "mother_pin": "5XH81PZ",
    "father_pin": None,
}
_DEATH = {
    "seq": 1043,
    "record_no": "D-2026-0000077",
    "kind": "DEATH",
    "registered_at": "2026-03-02T11:00:00+04:00",
    "office": "Sumgait",
    "deceased_pin": "2BC4D6F",
    "death_date": "2026-02-28",
    "informant_pin": "3JK5L7M",
}
_CANCELLATION = {
    "seq": 1044,
    "record_no": "K-2026-0000003",
    "kind": "CANCELLATION",
    "registered_at": "2026-03-03T09:00:00+04:00",
    "cancels": "B-2026-0001234",
    "reason": "registered twice",
}
_CORRECTION = {
    "seq": 1045,
    "record_no": "X-2026-0000010",
    "kind": "CORRECTION",
    "registered_at": "2026-03-03T09:30:00+04:00",
    "corrects": "B-2026-0001234",
    "changes": {"mother_pin": "5XH81PQ"},
}


def birth(**changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(_BIRTH), **changes}


def death(**changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(_DEATH), **changes}


def cancellation(**changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(_CANCELLATION), **changes}


def correction(**changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(_CORRECTION), **changes}


def without(record: dict[str, Any], path: str) -> dict[str, Any]:
    """The record with one field (``child.pin`` for a nested one) removed."""
    damaged = copy.deepcopy(record)
    head, _, rest = path.partition(".")
    if rest:
        del damaged[head][rest]
    else:
        del damaged[head]
    return damaged


def with_field(record: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    damaged = copy.deepcopy(record)
    head, _, rest = path.partition(".")
    if rest:
        damaged[head][rest] = value
    else:
        damaged[head] = value
    return damaged
