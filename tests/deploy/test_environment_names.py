"""Every variable that compose and the Kubernetes Deployments set is one the service reads:
a misspelt name would be ignored silently (the settings ignore unknown variables)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
import yaml
from pydantic_settings import BaseSettings

ROOT = Path(__file__).resolve().parents[2]
#: Read by the image's entrypoint, not by the settings.
IMAGE_VARIABLES = {"SERVICE_MODULE"}


def variables_read_by(module: str) -> set[str]:
    """The environment names of every settings class in the service's ``config`` module."""
    package = module.split(".")[0]
    config = importlib.import_module(
        "benefits_shared.settings" if package == "benefits_shared" else f"{package}.config"
    )
    names = set()
    for _, cls in inspect.getmembers(config, inspect.isclass):
        if issubclass(cls, BaseSettings) and cls is not BaseSettings:
            prefix = cls.model_config.get("env_prefix", "")
            names |= {f"{prefix}{field}".upper() for field in cls.model_fields}
    return names


def _compose_services() -> list[tuple[str, str, dict[str, str]]]:
    services = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())["services"]
    return [
        (name, s["build"]["args"]["MODULE"], s.get("environment") or {})
        for name, s in services.items()
        if "build" in s and "SERVICE_MODULE" not in (s.get("environment") or {})
    ]


def _deployments() -> list[tuple[str, str, dict[str, str]]]:
    from devstack.manifests.access import by_name

    path = ROOT / "deploy" / "k8s" / "base" / "generated" / "services.yaml"
    found = []
    for doc in yaml.safe_load_all(path.read_text()):
        if doc and doc["kind"] == "Deployment":
            container = doc["spec"]["template"]["spec"]["containers"][0]
            env = {e["name"]: e.get("value", "") for e in container["env"]}
            found.append((doc["metadata"]["name"], by_name(doc["metadata"]["name"]).module, env))
    return found


@pytest.mark.parametrize(("name", "module", "env"), _compose_services() + _deployments())
def test_every_variable_set_is_read_by_the_service(
    name: str, module: str, env: dict[str, str]
) -> None:
    known = variables_read_by(module)
    assert set(env) - known - IMAGE_VARIABLES == set(), name
