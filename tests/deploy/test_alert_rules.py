"""The alerting rules (``deploy/prometheus-alerts.yml``) fire when they should and only then,
on the families the services really export, and each tells ops where to look.

``promtool test rules`` evaluates every rule against the synthetic series of
``deploy/prometheus-alerts.test.yml`` (promtool comes from Debian's prometheus package,
put in ``.state/bin`` by ``make setup``)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import yaml
from devstack.manifests.validate import build, promtool
from devstack.metrics_doc import documented_families

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "deploy" / "prometheus-alerts.yml"
RULE_TESTS = ROOT / "deploy" / "prometheus-alerts.test.yml"
#: Our families' prefixes (docs/observability.md); ``up`` is Prometheus's own.
OURS = re.compile(r"\b(?:benefits|engine|bank_gateway|notifier|clock|connectors|ops)_[a-z_]+")
SUFFIXES = ("_total", "_bucket", "_sum", "_count")


def rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def family(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def anchors(markdown: Path) -> set[str]:
    """GitHub's anchors of a file's headings."""
    found = set()
    for line in markdown.read_text().splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            found.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return found


def test_every_rule_fires_when_its_promtool_tests_say_and_not_before() -> None:
    out = subprocess.run(
        [promtool(ROOT), "test", "rules", str(RULE_TESTS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "SUCCESS" in out.stdout


def test_every_alert_has_a_promtool_test_that_makes_it_fire() -> None:
    tests = yaml.safe_load(RULE_TESTS.read_text())["tests"]
    fired = {
        case["alertname"]
        for test in tests
        for case in test["alert_rule_test"]
        if case.get("exp_alerts")
    }
    assert {rule["alert"] for rule in rules()} == fired


def test_the_rules_and_their_tests_use_only_families_the_services_export() -> None:
    documented = set().union(*documented_families(ROOT).values())
    assert "engine_cases_waiting_oldest_seconds" in documented  # the table was read
    used = {family(n) for rule in rules() for n in OURS.findall(rule["expr"])}
    tests = yaml.safe_load(RULE_TESTS.read_text())["tests"]
    series = [given["series"] for test in tests for given in test["input_series"]]
    used |= {family(n) for s in series for n in OURS.findall(s)}
    assert used, "no family found in the rules"
    assert used <= documented, f"not in docs/observability.md: {sorted(used - documented)}"


def test_every_alert_says_how_bad_it_is_what_happened_and_where_ops_reads_what_to_do() -> None:
    for rule in rules():
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
        notes = rule["annotations"]
        assert notes["summary"] and notes["description"], rule["alert"]
        path, _, anchor = notes["runbook"].partition("#")
        assert (ROOT / path).is_file(), rule["alert"]
        assert anchor in anchors(ROOT / path), f"{rule['alert']}: no heading #{anchor} in {path}"


def test_both_prometheuses_get_these_rules_and_the_labels_they_match_on() -> None:
    """The compose file's Prometheus (job ``benefits``, a ``service`` label) and, in
    production, the Prometheus Operator's: the same groups, and targets labelled alike."""
    compose = yaml.safe_load((ROOT / "deploy" / "prometheus.yml").read_text())
    assert compose["rule_files"] == ["alerts.yml"]
    (job,) = compose["scrape_configs"]
    assert job["job_name"] == "benefits"
    assert any(r["target_label"] == "service" for r in job["relabel_configs"])

    docs = build(ROOT, "production")
    (rule,) = [d for d in docs if d["kind"] == "PrometheusRule"]
    assert rule["spec"]["groups"] == yaml.safe_load(RULES.read_text())["groups"]
    (monitor,) = [d for d in docs if d["kind"] == "PodMonitor"]
    selected = monitor["spec"]["selector"]["matchLabels"]
    pods = [d for d in docs if d["kind"] == "Deployment"]
    assert pods
    for pod in pods:
        labels = pod["spec"]["template"]["metadata"]["labels"]
        assert selected.items() <= labels.items(), pod["metadata"]["name"]
        ports = {
            p["name"] for c in pod["spec"]["template"]["spec"]["containers"] for p in c["ports"]
        }
        assert ports & {e["port"] for e in monitor["spec"]["podMetricsEndpoints"]}
    for endpoint in monitor["spec"]["podMetricsEndpoints"]:
        relabel = endpoint["relabelings"]
        assert {"targetLabel": "job", "replacement": "benefits"} in relabel
        assert any(r.get("targetLabel") == "service" for r in relabel)
