"""The local broker's set-up."""

from __future__ import annotations

from devstack.kafka import new_cluster_id


def test_a_cluster_id_never_starts_with_a_dash_that_the_storage_tool_would_take_for_an_option() -> (
    None
):
    ids = {new_cluster_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert not [i for i in ids if i.startswith("-")]
    assert all(len(i) == 22 for i in ids)
