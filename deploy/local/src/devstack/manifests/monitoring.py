"""The Prometheus Operator's objects for a cluster that runs it (the production overlay's
``monitoring`` component): a ``PodMonitor`` that scrapes every service's ``/metrics`` as
the compose file's Prometheus does (``job="benefits"``, a ``service`` label per workload,
which the alerting rules use), and a ``PrometheusRule`` holding the rules of
``deploy/prometheus-alerts.yml`` unchanged, so that one file is tested (promtool) and
deployed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from devstack.manifests.render import OPS, PART_OF, Doc, _meta

#: deploy/prometheus-alerts.yml, beside this package's ``deploy/local``.
RULES = Path(__file__).resolve().parents[4] / "prometheus-alerts.yml"
JOB = "benefits"
NAME_LABEL = "__meta_kubernetes_pod_label_app_kubernetes_io_name"


def monitoring_objects() -> list[Doc]:
    return [pod_monitor(), prometheus_rule()]


def pod_monitor() -> Doc:
    """The workers' probes port (``health``, 8081) and the ops service's HTTP port (the
    notifier's HTTP port serves the same registry again, so it is not scraped twice)."""

    def named() -> list[Doc]:  # a new list each time: the YAML shows no anchors
        return [
            {"targetLabel": "job", "replacement": JOB},
            {"sourceLabels": [NAME_LABEL], "targetLabel": "service"},
        ]

    ops_only = {"sourceLabels": [NAME_LABEL], "regex": OPS, "action": "keep"}
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PodMonitor",
        "metadata": _meta(JOB),
        "spec": {
            "selector": {"matchLabels": PART_OF},
            "podMetricsEndpoints": [
                {"port": "health", "path": "/metrics", "relabelings": named()},
                {"port": "http", "path": "/metrics", "relabelings": [ops_only, *named()]},
            ],
        },
    }


def prometheus_rule() -> Doc:
    groups: list[Any] = yaml.safe_load(RULES.read_text())["groups"]
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": _meta(JOB),
        "spec": {"groups": groups},
    }
