"""The stack's PostgreSQL runs with the server settings the deployed cluster gets too
(given at every start, so a data folder made before them gets them as well)."""

from __future__ import annotations

from devstack import postgres
from devstack.layout import Layout


def test_a_started_postgresql_runs_with_our_server_settings(own_layout: Layout) -> None:
    assert postgres.start(own_layout)
    for name, value in postgres.SERVER_SETTINGS.items():
        assert postgres.setting(own_layout, name) == value
