"""Conditions that a partial index's predicate must match, written as SQL literals.

asyncpg prepares every statement, and after five executions PostgreSQL may run a prepared
statement with a generic plan, which knows no parameter's value: ``state = $1`` then
cannot prove ``state = 'requested'``, the partial index is out, and each claim reads its
whole table. (The 25,000-birth bench read the gateway's ``accounts`` whole 15,062 times
so.) A condition in :func:`matches` is rendered with its value in the SQL text, so every
plan, generic or not, can use the index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, literal


def matches(column: Any, value: str) -> ColumnElement[bool]:
    """``column = 'value'``, the value written into the statement (one of our own
    constants: never a value from outside)."""
    return column == literal(value, literal_execute=True)  # type: ignore[no-any-return]
