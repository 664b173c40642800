"""Where the stack keeps its state and which ports it uses: the defaults, or the
``DEVSTACK_*`` variables for a second stack beside the first."""

from __future__ import annotations

from pathlib import Path

import pytest
from devstack import kafka, postgres
from devstack.layout import layout


def test_the_defaults_are_the_project_state_folder_and_the_usual_ports(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for variable in ("STATE_DIR", "KAFKA_PORT", "CONTROLLER_PORT", "POSTGRES_PORT"):
        monkeypatch.delenv(f"DEVSTACK_{variable}", raising=False)
    monkeypatch.setenv("BENEFITS_HOME", str(tmp_path))
    lay = layout()
    assert lay.state == tmp_path / ".state"
    assert kafka.bootstrap(lay) == "127.0.0.1:19092"
    assert lay.controller_port == 19093
    assert postgres.url(lay) == "postgresql+asyncpg://benefits@127.0.0.1:15432/benefits"


def test_a_second_stack_moves_its_state_and_ports_but_shares_the_jar_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BENEFITS_HOME", str(tmp_path / "project"))
    monkeypatch.setenv("DEVSTACK_STATE_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("DEVSTACK_KAFKA_PORT", "29092")
    monkeypatch.setenv("DEVSTACK_CONTROLLER_PORT", "29093")
    monkeypatch.setenv("DEVSTACK_POSTGRES_PORT", "25432")
    lay = layout()
    assert lay.kafka_dir == tmp_path / "elsewhere" / "kafka"
    assert lay.postgres_dir == tmp_path / "elsewhere" / "postgres"
    assert lay.logs == tmp_path / "elsewhere" / "logs"
    assert lay.kafka_libs.parent == tmp_path / "project" / ".state" / "cache"
    assert kafka.bootstrap(lay) == "127.0.0.1:29092"
    assert lay.controller_port == 29093
    assert postgres.url(lay) == "postgresql+asyncpg://benefits@127.0.0.1:25432/benefits"
