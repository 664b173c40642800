"""``benefits-ops replay`` and ``shadow`` through the whole chain: the CLI calls the ops
service (a process), which sends the command on Kafka; the real engine (a process)
answers; the ops projection keeps the replies; the CLI follows the run to its end and
exits 0 for "no change", 1 for differences, 2 for an error."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from benefits_ops.access import Role
from benefits_ops.entrypoints.cli.main import app
from engine_process import EngineProcess
from ops_rig import OpsRig, eventually
from ops_scenario import leyla_story
from typer.testing import CliRunner

pytestmark = pytest.mark.asyncio(loop_scope="session")
ROOT = Path(__file__).resolve().parents[4]
ENGINE_PARAMETERS = ROOT / "eligibility-engine" / "src" / "eligibility_engine" / "parameters"


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def engine(rig: OpsRig) -> AsyncIterator[EngineProcess]:
    await rig.publish(leyla_story()[:3])  # the mother, the child, the birth
    process = EngineProcess(rig.kafka, rig.database_url, rig.suffix, rig.log.with_name("e.log"))
    await process.start()
    await eventually(process.decided, "the engine has decided the birth", 120)
    yield process
    await process.stop()


async def cli(rig: OpsRig, *args: str) -> tuple[int, Any]:
    env = {"OPS_URL": rig.url, "OPS_TOKEN": rig.tokens[Role.OPERATOR]}
    done = await asyncio.to_thread(CliRunner().invoke, app, [*args, "--json"], env=env)
    return done.exit_code, json.loads(done.stdout) if done.stdout.strip() else done.output


async def test_a_dry_run_with_nothing_to_change_exits_0(rig: OpsRig, engine: EngineProcess) -> None:
    code, shown = await cli(rig, "replay", "--everything", "--reason", "after the outage")
    assert code == 0, shown
    assert (shown["verdict"], shown["run"]["cases_total"]) == ("no change", 1)


async def test_a_shadow_run_of_a_raised_b1_amount_exits_1_with_its_cost(
    rig: OpsRig, engine: EngineProcess, tmp_path: Path
) -> None:
    packaged = ENGINE_PARAMETERS / "birth_grant.yaml"
    raised = packaged.read_text(encoding="utf-8").replace("value: 250.00", "value: 300.00", 1)
    upload = tmp_path / "birth_grant.yaml"
    upload.write_text(raised, encoding="utf-8")

    code, shown = await cli(rig, "shadow", str(upload), "--reason", "what would 300 AZN cost")

    assert code == 1, shown
    assert shown["run"]["mode"] == "shadow"
    assert [d["delta"] for d in shown["run"]["differences"]] == ["50.00"]
    assert shown["run"]["delta"] == "50.00"


async def test_a_selection_the_engine_cannot_read_exits_2(
    rig: OpsRig, engine: EngineProcess
) -> None:
    code, shown = await cli(rig, "replay", "--topic", "payroll", "--reason", "typo")
    assert code == 2
    assert "payroll" in shown["run"]["error"]
