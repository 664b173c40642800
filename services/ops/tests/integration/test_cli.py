"""``benefits-ops`` as a script uses it: ``--json`` on stdout, exit 0 done, 2 error."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from benefits_ops.access import Role
from ops_rig import OpsRig, eventually
from ops_scenario import MOTHER, leyla_story

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def cli(
    rig: OpsRig, *args: str, role: Role | None = Role.OPERATOR
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "OPS_URL": rig.url,
        "OPS_TOKEN": rig.tokens[role] if role else "ops_not-a-token",
        "DATABASE_URL": rig.database_url,
        "OPS_SCHEMA": rig.schema,
    }
    argv = [str(Path(sys.executable).with_name("benefits-ops")), *args]
    return await asyncio.to_thread(
        subprocess.run, argv, env=env, capture_output=True, text=True, check=False, timeout=120
    )


async def test_a_citizen_lookup_prints_json_and_succeeds(rig: OpsRig) -> None:
    await rig.publish(leyla_story())

    async def projected() -> bool:
        done = await cli(rig, "citizen", MOTHER, "--reason", "142 call", "--json")
        return done.returncode == 0 and len(json.loads(done.stdout)["entries"]) >= 9

    await eventually(projected, "the story is projected")
    table = await cli(rig, "citizen", MOTHER, "--reason", "142 call")
    assert table.returncode == 0 and "Birth grant granted" in table.stdout


async def test_errors_exit_2_with_the_reason_on_stderr(rig: OpsRig) -> None:
    missing = await cli(rig, "dlq", "show", "424242")
    assert (missing.returncode, missing.stdout) == (2, "")
    assert "404" in missing.stderr
    refused = await cli(rig, "dlq", "discard", "1", "--reason", "x", role=Role.VIEWER)
    assert refused.returncode == 2 and "403" in refused.stderr
    nobody = await cli(rig, "dlq", "list", role=None)
    assert nobody.returncode == 2 and "401" in nobody.stderr


async def test_tokens_are_made_listed_and_revoked_from_the_shell(rig: OpsRig) -> None:
    made = await cli(rig, "tokens", "create", "--name", "night shift", "--role", "viewer", "--json")
    assert made.returncode == 0, made.stderr
    token = json.loads(made.stdout)
    listed = json.loads((await cli(rig, "tokens", "list", "--json")).stdout)
    assert {"night shift"} <= {t["name"] for t in listed}
    assert token["secret"] not in json.dumps(listed)
    assert (await cli(rig, "tokens", "revoke", token["token_id"])).returncode == 0
    assert (await cli(rig, "tokens", "revoke", token["token_id"])).returncode == 2
    listing = await cli(rig, "dlq", "list", "--json", role=Role.VIEWER)
    assert listing.returncode == 0 and json.loads(listing.stdout) == []


async def test_a_replay_the_engine_never_answers_exits_2_after_the_timeout(rig: OpsRig) -> None:
    # No engine consumes this test's ops-commands: the run stays "waiting for the engine".
    args = ("replay", "--everything", "--reason", "engine down?", "--timeout", "2", "--json")
    done = await cli(rig, *args)
    assert done.returncode == 2, done.stderr
    assert json.loads(done.stdout)["verdict"] == "waiting for the engine"
    assert "the engine said nothing new for 2s" in done.stderr
