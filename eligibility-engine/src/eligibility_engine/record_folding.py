"""A registry record with its cancellations and corrections applied: pure.

Amendments are applied in registry order (``seq``) whatever order they arrived in, so a
correction that came before its record gives the same result as one that came after.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: The fields a correction may change, by record kind; nested child fields are flattened.
CORRECTABLE = {
    "birth": {"mother_pin", "father_pin", "birth_date", "child_pin"},
    "death": {"deceased_pin", "death_date", "informant_pin"},
}


@dataclass(frozen=True, slots=True)
class Amendment:
    record_no: str
    kind: str  # "cancel", "correct" or "revoke"
    changes: Mapping[str, Any]
    seq: int


def flatten(changes: Mapping[str, Any]) -> dict[str, Any]:
    """``{"child": {"birth_date": …}}`` → ``{"birth_date": …}``; ``child.pin`` → ``child_pin``."""
    flat: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "child" and isinstance(value, Mapping):
            for sub, sub_value in value.items():
                flat["child_pin" if sub == "pin" else sub] = sub_value
        else:
            flat[key.replace("child.", "child_").replace("child_birth_date", "birth_date")] = value
    return flat


def fold(
    kind: str, original: Mapping[str, Any], amendments: Iterable[Amendment]
) -> tuple[dict[str, Any], bool, tuple[str, ...]]:
    """The record's fields after its amendments, whether it is cancelled, and by which
    corrections it was changed."""
    fields = dict(original)
    cancelled = False
    applied: list[str] = []
    for amendment in sorted(amendments, key=lambda a: a.seq):
        if amendment.kind == "cancel":
            cancelled = True
        elif amendment.kind == "correct":
            changes = flatten(amendment.changes)
            fields.update({k: v for k, v in changes.items() if k in CORRECTABLE[kind]})
            applied.append(amendment.record_no)
    return fields, cancelled, tuple(applied)
