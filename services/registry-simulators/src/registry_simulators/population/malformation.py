"""Damage done on purpose: what a broken civil record or MSE row looks like.

Civil records lose a required field, carry a PIN of the wrong shape, or a date that does not
exist. MSE rows get a PIN of the wrong shape, a date such as ``31.02.2026``, an unknown group
or the wrong number of columns. ``seq`` and ``record_no`` are never damaged: the feed pages
by ``seq`` and a record is known by its number.
"""

from __future__ import annotations

import copy
import random
from typing import Any

_REQUIRED = {
    "BIRTH": ("registered_at", "office", "child", "child.pin", "child.birth_date"),
    "DEATH": ("registered_at", "office", "deceased_pin", "death_date"),
    "CANCELLATION": ("registered_at", "cancels"),
    "CORRECTION": ("registered_at", "corrects", "changes"),
}
_PIN_FIELDS = {"BIRTH": ("child.pin", "mother_pin"), "DEATH": ("deceased_pin", "informant_pin")}
_DATE_FIELDS = {"BIRTH": "child.birth_date", "DEATH": "death_date"}
_ROW_DEFECTS = ("bad_pin", "impossible_date", "column_count", "unknown_group")
_UNKNOWN_GROUPS = ("IV", "0", "2", "II/III", " child")


def bad_pin(rng: random.Random, pin: str) -> str:
    """A PIN of the wrong shape: too short, too long, lower case, or with an I or an O."""
    where = rng.randrange(len(pin))
    return rng.choice(
        (
            pin[:-1],
            pin + rng.choice("0123456789"),
            pin[:where] + rng.choice("IO") + pin[where + 1 :],
            pin[:where] + pin[where].lower() + pin[where + 1 :]
            if pin[where].isalpha()
            else pin[1:],
        )
    )


def impossible_date(rng: random.Random, year: int, dotted: bool = False) -> str:
    day, month = rng.choice(((30, 2), (31, 2), (31, 4), (31, 6), (31, 11), (1, 13), (0, 5)))
    return f"{day:02d}.{month:02d}.{year}" if dotted else f"{year}-{month:02d}-{day:02d}"


def damage_record(rng: random.Random, record: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """A damaged copy of a civil record and the name of the defect."""
    damaged = copy.deepcopy(record)
    kind = damaged["kind"]
    pins = [f for f in _PIN_FIELDS.get(kind, ()) if _get(damaged, f) is not None]
    defects = ["missing_field", "impossible_date"] + (["bad_pin"] if pins else [])
    defect = rng.choice(defects)
    if defect == "missing_field":
        _delete(damaged, rng.choice(_REQUIRED[kind]))
    elif defect == "bad_pin":
        field = rng.choice(pins)
        _set(damaged, field, bad_pin(rng, _get(damaged, field)))
    else:
        field = _DATE_FIELDS.get(kind, "registered_at")
        year = int(str(_get(damaged, field))[:4])
        bad = impossible_date(rng, year)
        _set(damaged, field, bad if field != "registered_at" else f"{bad}T10:00:00+04:00")
    return damaged, defect


def damage_row(rng: random.Random, fields: list[str]) -> tuple[list[str], str]:
    """A damaged copy of an MSE row (fields in the header's order) and the defect's name."""
    row = list(fields)
    defect = rng.choice(_ROW_DEFECTS if row[2] == "ISSUED" else _ROW_DEFECTS[:3])
    if defect == "bad_pin":
        row[1] = bad_pin(rng, row[1])
    elif defect == "impossible_date":
        where = rng.choice([i for i in (4, 5, 6, 7) if row[i]])
        row[where] = impossible_date(rng, int(row[where][-4:]), dotted=True)
    elif defect == "unknown_group":
        row[3] = rng.choice(_UNKNOWN_GROUPS)
    else:
        row = row[:-1] if rng.random() < 0.5 else [*row, row[-1]]
    return row, defect


def _get(record: dict[str, Any], path: str) -> Any:
    head, _, rest = path.partition(".")
    return record.get(head) if not rest else record.get(head, {}).get(rest)


def _set(record: dict[str, Any], path: str, value: Any) -> None:
    head, _, rest = path.partition(".")
    if rest:
        record[head][rest] = value
    else:
        record[head] = value


def _delete(record: dict[str, Any], path: str) -> None:
    head, _, rest = path.partition(".")
    if rest:
        record[head].pop(rest, None)
    else:
        record.pop(head, None)
