"""Each image's Python environment, built the way the Dockerfile builds it (its own
``uv sync`` line: from the lock, without the dev group, not editable), imports its service:
a dependency missing from a member's ``pyproject.toml`` fails here, without Docker."""

from __future__ import annotations

import os
import re
import shlex
import shutil
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


def sync(package: str, venv: Path, workspace: Path = ROOT) -> str:
    """The Dockerfile's sync of ``package`` into ``venv``; its Python."""
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv)}
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(sync_command(package), cwd=workspace, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return str(venv / "bin" / "python")


def imports(python: str, module: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    probe = (
        f"import importlib, importlib.util\nimportlib.import_module({module!r})\n"
        "assert importlib.util.find_spec('pytest') is None, 'the dev group is installed'"
    )
    return subprocess.run([python, "-c", probe], cwd=cwd, capture_output=True, text=True)


@pytest.mark.parametrize("package", sorted(images()))
def test_the_image_environment_imports_its_service(package: str, tmp_path: Path) -> None:
    assert package in members(), f"compose builds PACKAGE={package}: no member of that name"
    python = sync(package, tmp_path / "venv")
    module = images()[package]
    entry = f"{module}.__main__" if "." not in module else module
    result = imports(python, entry, tmp_path)
    assert result.returncode == 0, result.stderr


def test_every_member_names_its_sources_in_its_cache_keys() -> None:
    # what the test below shows for benefits-shared, for a member added later too
    for name, folder in members().items():
        uv = tomllib.loads((folder / "pyproject.toml").read_text()).get("tool", {}).get("uv", {})
        files = [key.get("file", "") for key in uv.get("cache-keys", [])]
        assert "pyproject.toml" in files, name
        assert any(f.startswith("src/**/*.{py,") for f in files), name


def copy_workspace(target: Path) -> Path:
    """The workspace's projects (root pyproject, lock, every member but its tests)."""
    target.mkdir()
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy2(ROOT / name, target / name)
    skip = shutil.ignore_patterns("tests", "__pycache__", "*.pyc")
    for folder in members().values():
        shutil.copytree(folder, target / folder.relative_to(ROOT), ignore=skip)
    return target


def test_a_member_is_built_from_its_sources_now_not_from_an_older_cached_wheel(
    tmp_path: Path,
) -> None:
    # uv caches the wheel it builds of a member; a module added since must be in the next
    # environment (a stale wheel of benefits-shared once lacked benefits_shared.outages).
    workspace = copy_workspace(tmp_path / "workspace")
    sync("clock-ticker", tmp_path / "before", workspace)
    added = workspace / "shared" / "src" / "benefits_shared" / "added_since.py"
    added.write_text('"""A module the first build did not have."""\n')

    python = sync("clock-ticker", tmp_path / "after", workspace)

    result = imports(python, "benefits_shared.added_since", tmp_path)
    assert result.returncode == 0, result.stderr
