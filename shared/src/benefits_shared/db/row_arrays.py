"""Many rows as one statement's parameters: one array per column, ``unnest`` ed in SQL.

An ``executemany`` runs the statement once per row: PostgreSQL binds and executes each,
and SQLAlchemy builds each row's parameters. ``UPDATE … FROM unnest(…)`` and ``INSERT …
SELECT … FROM unnest(…)`` do the lot in one execution (issue #12). The engine writes its
facts so (``fact_store``); this is the same thing for statements built with SQLAlchemy
Core. It pays where the statement is the cost (inserts, the notifier's writes); an update
of a row of a table with many indexes costs its index upkeep either way (about 55 µs a
row at 25,000 births, measured: the gateway's payment updates stay row by row).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ARRAY, Table, bindparam, func, select
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.sql.selectable import TableValuedAlias
from sqlalchemy.types import TypeEngine

#: The name of the ordinal column of :func:`unnested` (the rows' order as given).
ORDINAL = "ordinal"


def unnested(name: str, **columns: TypeEngine[Any]) -> TableValuedAlias:
    """The rows of :func:`arrays` ``(name, …)`` as a table ``name`` with ``columns`` and
    :data:`ORDINAL` (1 for the first row given)."""
    parameters = (bindparam(f"{name}_{c}", type_=ARRAY(t)) for c, t in columns.items())
    return (
        func.unnest(*parameters)
        .table_valued(*columns, with_ordinality=ORDINAL)
        .render_derived(name=name)
    )


def unnested_of(table: Table, columns: Sequence[str], name: str = "v") -> TableValuedAlias:
    """:func:`unnested` with the types of ``table`` 's ``columns``."""
    return unnested(name, **{c: table.c[c].type for c in columns})


def insert_rows(table: Table, columns: Sequence[str]) -> Insert:
    """An INSERT of the rows of :func:`arrays` ``("v", …)`` into ``table`` 's ``columns``,
    in the order given (ids a sequence gives follow it); ``on_conflict_…`` as any insert."""
    v = unnested_of(table, columns)
    in_order = select(*(v.c[c] for c in columns)).order_by(v.c[ORDINAL])
    return insert(table).from_select(list(columns), in_order)


def one_each(rows: Sequence[Mapping[str, Any]], key: str, last: bool) -> list[Mapping[str, Any]]:
    """One row per ``key``: an UPDATE … FROM joins a target row to one row of the arrays,
    where an ``executemany`` wrote every row in turn. Keep the ``last`` row of a key when a
    later write would overwrite an earlier one (its guard lets the row be written again),
    else the first (the guard stops the later ones)."""
    ordered = rows if last else list(reversed(rows))
    return list({r[key]: r for r in ordered}.values())


def arrays(name: str, rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """The parameters of :func:`unnested` ``(name, …)`` for ``rows`` (dicts by column)."""
    if not rows:
        return {}
    return {f"{name}_{c}": [r[c] for r in rows] for c in rows[0]}
