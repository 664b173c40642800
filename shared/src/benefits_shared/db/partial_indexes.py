"""Claims that walk their (partial) indexes whatever the planner's statistics say.

asyncpg prepares every statement, and after five executions PostgreSQL may run a prepared
statement with a generic plan, which knows no parameter's value: ``state = $1`` then
cannot prove ``state = 'requested'``, the partial index is out, and each claim reads its
whole table. (The 25,000-birth bench read the gateway's ``accounts`` whole 15,062 times
so.) A condition in :func:`matches` is rendered with its value in the SQL text, so every
plan, generic or not, can use the index.

And a table that grows from nothing (a new schema, a burst on an empty day) is planned
from statistics of when it was small: a plan that reads it whole, once per row of the
other side of a join, stays until autovacuum analyzes it again. The bench's burst read the
gateway's ``accounts`` whole 27,378 times so (auto_explain: a nested loop over the unsent
payments with a seq scan of ``accounts`` inside). :func:`walk_indexes` tells PostgreSQL,
for one transaction, to take an index wherever there is one, and to plan each statement
for its own parameters and the tables' sizes now (``plan_cache_mode``): a generic plan is
kept until the table is analyzed again, whatever was set after it was made. (With the
index alone, the 10,000-birth bench still spent 12.6 s of PostgreSQL's time in 226 cuts,
up to 7 s in one: the generic plan made while both tables were empty, a nested loop over
the unsent payments with a scan of every payable account inside.)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, literal, text
from sqlalchemy.ext.asyncio import AsyncSession

#: Both settings of ``walk_indexes`` in one statement, for the rest of the transaction.
_WALK_INDEXES = text(
    "SELECT set_config('enable_seqscan', 'off', true), "
    "set_config('plan_cache_mode', 'force_custom_plan', true)"
)


def matches(column: Any, value: str) -> ColumnElement[bool]:
    """``column = 'value'``, the value written into the statement (one of our own
    constants: never a value from outside)."""
    return column == literal(value, literal_execute=True)  # type: ignore[no-any-return]


async def walk_indexes(s: AsyncSession) -> None:
    """For the rest of the transaction, no whole-table read where an index serves (only
    for transactions whose every statement has its index: a query without one still
    reads the table), and no generic plan: each statement is planned as it runs (a
    fraction of a millisecond; for transactions of a few statements)."""
    await s.execute(_WALK_INDEXES)
