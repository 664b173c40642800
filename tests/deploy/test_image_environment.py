"""Each image's Python environment, built the way the Dockerfile builds it (its own
``uv sync`` line: from the lock, without the dev group, not editable), imports its service:
a dependency missing from a member's ``pyproject.toml`` fails here, without Docker."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


def images() -> dict[str, str]:
    """PACKAGE → MODULE of every image that compose builds."""
    services = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())["services"]
    args = [s["build"]["args"] for s in services.values() if "build" in s]
    return {a["PACKAGE"]: a["MODULE"] for a in args}


def members() -> dict[str, Path]:
    """uv project name → its folder, for every workspace member."""
    found = {}
    for pyproject in [*ROOT.glob("*/pyproject.toml"), *ROOT.glob("*/*/pyproject.toml")]:
        project = tomllib.loads(pyproject.read_text()).get("project", {})
        if "name" in project and pyproject.parent != ROOT:
            found[project["name"]] = pyproject.parent
    return found


def sync_command(package: str) -> list[str]:
    """The Dockerfile's ``RUN uv sync …`` with its build argument filled in."""
    line = next(ln for ln in DOCKERFILE.read_text().splitlines() if ln.startswith("RUN uv sync"))
    return [arg.replace("${PACKAGE}", package) for arg in shlex.split(line.removeprefix("RUN "))]


def test_the_dockerfile_syncs_from_the_lock_and_its_final_stage_builds_nothing() -> None:
    command = sync_command("x")
    assert {"--frozen", "--no-dev", "--no-editable"} <= set(command)
    final = DOCKERFILE.read_text().rsplit("\nFROM ", 1)[1]
    assert not re.search(r"\b(uv|pip|apt-get|gcc)\b", final), "build tools in the final stage"
    assert "USER 10001" in final


@pytest.mark.parametrize("package", sorted(images()))
def test_the_image_environment_imports_its_service(package: str, tmp_path: Path) -> None:
    assert package in members(), f"compose builds PACKAGE={package}: no member of that name"
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(tmp_path / "venv")}
    env.pop("VIRTUAL_ENV", None)
    subprocess.run(sync_command(package), cwd=ROOT, env=env, check=True, capture_output=True)
    python = str(tmp_path / "venv" / "bin" / "python")
    module = images()[package]
    entry = f"{module}.__main__" if "." not in module else module
    probe = (
        f"import importlib, importlib.util\nimportlib.import_module({entry!r})\n"
        "assert importlib.util.find_spec('pytest') is None, 'the dev group is installed'"
    )
    result = subprocess.run([python, "-c", probe], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
