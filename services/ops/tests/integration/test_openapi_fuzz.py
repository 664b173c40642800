"""Schemathesis against the running service's OpenAPI document: no input makes a 5xx, and
every answer matches the documented schema. Run with an admin token (every route open to
it) and with none (every route but health refuses)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from benefits_ops.access import Role
from ops_rig import OpsRig

pytestmark = pytest.mark.asyncio(loop_scope="session")
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    )
)


def schemathesis(rig: OpsRig, *options: str) -> subprocess.CompletedProcess[str]:
    argv = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{rig.url}/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        "25",
        "--phases",
        "examples,coverage,fuzzing",
        "--seed",
        "11",
        "--generation-database",
        "none",
        *options,
    ]
    # Its crash cache goes to the log's folder, not the work tree.
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=540, check=False, cwd=rig.log.parent
    )


@pytest.mark.parametrize("role", [Role.ADMIN, None])
async def test_no_input_makes_a_server_error(rig: OpsRig, role: Role | None) -> None:
    header = ("--header", f"Authorization: Bearer {rig.tokens[role]}") if role else ()
    done = schemathesis(rig, *header)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
