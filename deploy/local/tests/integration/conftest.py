"""A stack of the test's own: Kafka and PostgreSQL with new data in a temp folder, on
free ports, so that it never touches the shared stack (19092/19093/15432)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from benefits_shared.local_ports import free_port
from devstack import kafka, postgres
from devstack.layout import Layout

ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture
def own_layout(tmp_path: Path) -> Iterator[Layout]:
    """Where a stack of the test's own lives; whatever the test started is stopped after,
    and its data removed (PostgreSQL's may live under /var/lib/postgresql, see
    ``devstack.postgres``)."""
    lay = Layout(ROOT, tmp_path / "state", free_port(), free_port(), free_port())
    yield lay
    kafka.stop(lay)
    postgres.remove(lay)
