from benefits_shared.db.row_arrays import arrays, one_each, unnested
from sqlalchemy import Integer, String, select
from sqlalchemy.dialects import postgresql


def test_rows_become_one_array_per_column_named_after_the_table() -> None:
    rows = [{"id": "a", "n": 1}, {"id": "b", "n": 2}]
    assert arrays("v", rows) == {"v_id": ["a", "b"], "v_n": [1, 2]}
    assert arrays("v", []) == {}


def test_the_arrays_are_unnested_in_the_order_given() -> None:
    v = unnested("v", id=String(), n=Integer())
    sql = str(select(v.c.id).order_by(v.c.ordinal).compile(dialect=postgresql.dialect()))
    assert "unnest(%(v_id)s::VARCHAR[], %(v_n)s::INTEGER[]) WITH ORDINALITY" in sql
    assert "AS v(id, n, ordinal)" in sql


def test_one_row_per_key_the_last_or_the_first_as_a_row_by_row_write_would_leave_it() -> None:
    rows = [{"id": "a", "n": 1}, {"id": "b", "n": 2}, {"id": "a", "n": 3}]
    assert sorted(r["n"] for r in one_each(rows, "id", last=True)) == [2, 3]
    assert sorted(r["n"] for r in one_each(rows, "id", last=False)) == [1, 2]
