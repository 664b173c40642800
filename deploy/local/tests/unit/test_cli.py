"""The devstack CLI is scriptable: JSON on stdout where asked, exit codes that mean
something (style.md 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from devstack import cli, demo
from devstack.layout import Layout
from typer.testing import CliRunner

runner = CliRunner()


def test_status_as_json_says_an_endpoint_set_in_the_environment_is_external(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka.example:9092")
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://db.example/benefits")
    monkeypatch.setattr(cli, "layout", lambda: Layout(tmp_path))
    answer = runner.invoke(cli.app, ["status", "--json"])
    assert answer.exit_code == 0
    found = json.loads(answer.stdout)
    assert found["kafka"] == {"state": "external", "KAFKA_BOOTSTRAP_SERVERS": "kafka.example:9092"}
    assert found["postgres"]["state"] == "external"


def test_an_unknown_command_is_a_usage_error() -> None:
    assert runner.invoke(cli.app, ["start-everything"]).exit_code == 2


@pytest.mark.parametrize(
    "code", [demo.RECONCILED, demo.NOT_RECONCILED, demo.PROCESSES_DIED, demo.INTERRUPTED]
)
def test_run_exits_with_the_main_jobs_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, code: int
) -> None:
    asked: list[bool] = []
    monkeypatch.setattr(cli, "layout", lambda: Layout(tmp_path))
    monkeypatch.setattr(demo, "main_job", lambda *args: asked.append(args[-1]) or code)
    assert runner.invoke(cli.app, ["run", "--json"]).exit_code == code
    assert asked == [True]
