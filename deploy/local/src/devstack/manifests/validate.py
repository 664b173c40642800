"""``devstack lint-deploy``: every manifest and the compose file checked offline.

- the generated manifests are what the code makes now (``devstack manifests``);
- ``kustomize build`` of each overlay (kustomize is installed by ``make setup`` with
  ``go install`` into ``.state/bin``);
- every object of each build: core kinds against the Kubernetes schemas that the PyPI
  package ``kubernetes-validate`` ships, Strimzi, CloudNativePG, KEDA and Prometheus
  Operator kinds against the CRD schemas kept in ``deploy/k8s/schemas/`` (closed: an
  unknown field is an error);
- ``deploy/compose.yaml``: ``docker compose config`` where the compose plugin is, else the
  compose specification's JSON schema (``deploy/k8s/schemas/compose-spec/``);
- ``deploy/prometheus-alerts.yml``: ``promtool check rules`` (promtool is taken out of
  Debian's prometheus package into ``.state/bin`` by ``make setup``; its unit tests of the
  rules run in ``tests/deploy/test_alert_rules.py``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml

from devstack.manifests.files import stale

KUBERNETES_VERSION = "1.33.0"
OVERLAYS = ("local", "production")
Doc = dict[str, Any]


def kustomize(root: Path) -> str:
    return tool(root, "kustomize", "go install")


def promtool(root: Path) -> str:
    return tool(root, "promtool", "from Debian's prometheus package")


def tool(root: Path, name: str, how: str) -> str:
    """A tool ``make setup`` puts in ``.state/bin`` (else on the PATH); exits if missing."""
    here = root / ".state" / "bin" / name
    found = str(here) if here.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} is missing: run `make setup` ({how} into .state/bin)")
    return found


def alert_problems(root: Path) -> list[str]:
    rules = root / "deploy" / "prometheus-alerts.yml"
    out = subprocess.run(
        [promtool(root), "check", "rules", str(rules)], capture_output=True, text=True, check=False
    )
    if out.returncode:
        return [f"prometheus-alerts.yml: {(out.stdout + out.stderr).strip()}"]
    print("  alerting rules: promtool check rules")
    return []


def build(root: Path, overlay: str) -> list[Doc]:
    folder = root / "deploy" / "k8s" / "overlays" / overlay
    out = subprocess.run(
        [kustomize(root), "build", str(folder)], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise ValueError(f"kustomize build {overlay}: {out.stderr.strip()}")
    return [doc for doc in yaml.safe_load_all(out.stdout) if doc]


def _crd_files(root: Path) -> Iterator[Path]:
    yield from sorted((root / "deploy" / "k8s" / "schemas").glob("*/*.yaml"))


@cache
def crd_schemas(root: Path) -> dict[tuple[str, str], Doc]:
    """(apiVersion, kind) → the closed JSON schema of that custom resource."""
    schemas: dict[tuple[str, str], Doc] = {}
    for path in _crd_files(root):
        crd = yaml.safe_load(path.read_text())
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            schema = closed(version["schema"]["openAPIV3Schema"])
            schemas[(f"{group}/{version['name']}", kind)] = schema
    return schemas


def closed(node: Any) -> Any:
    """The schema with ``additionalProperties: false`` wherever properties are listed and
    the CRD does not keep unknown fields: a misspelt field fails instead of being pruned."""
    if isinstance(node, list):
        return [closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: closed(value) for key, value in node.items()}
    keeps = out.get("x-kubernetes-preserve-unknown-fields") or "additionalProperties" in out
    if "properties" in out and not keeps:
        out["properties"].setdefault("apiVersion", {"type": "string"})
        out["additionalProperties"] = False
    return out


def problems(root: Path, doc: Doc) -> list[str]:
    """What is wrong with one object (empty: valid)."""
    name = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
    schema = crd_schemas(root).get((doc.get("apiVersion", ""), doc.get("kind", "")))
    if schema is not None:
        validator = jsonschema.Draft7Validator(schema)
        return [
            f"{name}: {'.'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(doc)
        ]
    if "." in doc.get("apiVersion", "").split("/")[0] and "k8s.io" not in doc["apiVersion"]:
        return [f"{name}: no schema for {doc['apiVersion']} (add its CRD to deploy/k8s/schemas)"]
    try:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        return [f"{name}: {'.'.join(map(str, error.path))}: {error.message}"]
    return []


def compose_problems(root: Path) -> list[str]:
    compose = root / "deploy" / "compose.yaml"
    if _compose_plugin():
        out = subprocess.run(
            ["docker", "compose", "-f", str(compose), "config", "--quiet"],
            capture_output=True,
            text=True,
            check=False,
        )
        return [f"docker compose config: {out.stderr.strip()}"] if out.returncode else []
    spec = root / "deploy" / "k8s" / "schemas" / "compose-spec" / "compose-spec.json"
    validator = jsonschema.Draft7Validator(json.loads(spec.read_text()))
    data = yaml.safe_load(compose.read_text())
    return [
        f"compose.yaml: {'.'.join(map(str, e.path))}: {e.message}"
        for e in validator.iter_errors(data)
    ]


def _compose_plugin() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    return probe.returncode == 0


def lint(root: Path) -> list[str]:
    found = [f"{name} is stale: run `uv run devstack manifests`" for name in stale(root)]
    for overlay in OVERLAYS:
        try:
            docs = build(root, overlay)
        except ValueError as error:
            found.append(str(error))
            continue
        found += [f"{overlay}: {p}" for doc in docs for p in problems(root, doc)]
        print(f"  {overlay}: kustomize build, {len(docs)} objects checked")
    found += compose_problems(root)
    found += alert_problems(root)
    return found
