"""The deployment agrees with the code: one KafkaTopic per topic of the catalog, each
service's user and role made from its own settings, every service deployed, composed and
built; and the offline validation of ``make lint`` rejects what Kubernetes would."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from bank_gateway.config import BankGatewaySettings
from benefits_ops.config import OpsSettings
from benefits_shared.topics import all_topics
from clock_ticker.config import TickerSettings
from devstack.manifests.access import by_name, workloads
from devstack.manifests.files import stale
from devstack.manifests.render import acls, database_sql
from devstack.manifests.validate import build, compose_problems, problems
from eligibility_engine.config import EngineSettings
from notifier.config import NotifierSettings
from pydantic import BaseModel
from registry_connectors.config import ConnectorSettings

ROOT = Path(__file__).resolve().parents[2]


def _docs(name: str) -> list[dict[str, Any]]:
    path = ROOT / "deploy" / "k8s" / "base" / "generated" / name
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def test_the_generated_manifests_are_what_the_code_makes_now() -> None:
    assert stale(ROOT) == [], "run `uv run devstack manifests` and commit the result"


def test_one_kafka_topic_per_topic_of_the_catalog_replicated_three_times() -> None:
    topics = {d["spec"]["topicName"]: d["spec"] for d in _docs("kafka-topics.yaml")}
    assert {name: spec["partitions"] for name, spec in topics.items()} == {
        t.name: t.partitions for t in all_topics()
    }
    for topic in all_topics():
        spec = topics[topic.name]
        assert spec["replicas"] == 3
        assert spec["config"] == {**topic.configs(), "min.insync.replicas": 2}


def test_the_engine_reads_its_inputs_writes_its_decisions_and_dead_letters_and_nothing_else() -> (
    None
):
    # and, since ADR 12, reads ops commands and answers them
    rules = {
        (r["resource"]["type"], r["resource"]["name"]): r["operations"]
        for r in acls(by_name("eligibility-engine"))
    }
    assert rules == {
        ("topic", "persons"): ["Read", "Describe"],
        ("topic", "life-events"): ["Read", "Describe"],
        ("topic", "clock-ticks"): ["Read", "Describe"],
        ("topic", "payments"): ["Read", "Describe"],
        ("topic", "benefit-decisions"): ["Read", "Write", "Describe"],
        ("topic", "persons.dlq"): ["Write", "Describe"],
        ("topic", "life-events.dlq"): ["Write", "Describe"],
        ("topic", "clock-ticks.dlq"): ["Write", "Describe"],
        ("topic", "payments.dlq"): ["Write", "Describe"],
        ("topic", "ops-commands"): ["Read", "Describe"],
        ("topic", "ops-commands.dlq"): ["Write", "Describe"],
        ("topic", "ops-replies"): ["Write", "Describe"],
        ("group", "eligibility-engine"): ["Read"],
    }


SETTINGS: dict[str, type[BaseModel]] = {
    "registry-connectors": ConnectorSettings,
    "clock-ticker": TickerSettings,
    "eligibility-engine": EngineSettings,
    "bank-gateway": BankGatewaySettings,
    "notifier": NotifierSettings,
    "ops": OpsSettings,
}


def _groups_read(workload: str) -> list[str]:
    rules = acls(by_name(workload))
    return [
        r["resource"]["name"]
        for r in rules
        if r["resource"]["type"] == "group" and "Read" in r["operations"]
    ]


def test_every_consumer_group_a_service_joins_is_one_its_user_may_read() -> None:
    # e.g. the clock ticker's CLOCK_GROUP, in which its tickers lead by the one partition
    assert set(SETTINGS) == {w.name for w in workloads()}
    for name, settings in SETTINGS.items():
        joined = [
            field.default
            for key, field in settings.model_fields.items()
            if key.endswith("_group") and isinstance(field.default, str)
        ]
        prefixes = _groups_read(name)
        for group in joined:  # a ``*_ops_group`` left unset is ``<group>-ops``: same prefix
            assert any(group.startswith(p) for p in prefixes), (name, group, prefixes)


def test_the_ops_user_describes_every_services_group_for_the_lag_table() -> None:
    described = {
        r["resource"]["name"]
        for r in acls(by_name("ops"))
        if r["resource"]["type"] == "group" and r["resource"]["patternType"] == "prefix"
    }
    assert described == {w.group for w in workloads() if w.group}


def test_every_topic_has_one_writer_besides_dead_letters_and_the_ops_redrive() -> None:
    writers: dict[str, list[str]] = {}
    for workload in workloads():
        if workload.name == "ops":  # puts a dead letter back on its origin topic, on request
            continue
        for topic in (*workload.outbox, *workload.writes):
            writers.setdefault(topic, []).append(workload.name)
    # every service that takes ops commands answers them on ops-replies (ADR 12)
    assert {t: w for t, w in writers.items() if len(w) > 1} == {
        "ops-replies": ["eligibility-engine", "notifier"]
    }


def test_each_role_owns_only_its_schema() -> None:
    sql = database_sql()
    owned = [s for s in sql if s.startswith("CREATE SCHEMA")]
    assert owned == [
        f'CREATE SCHEMA "{w.schema}" AUTHORIZATION "{w.name.replace("-", "_")}"'
        for w in workloads()
        if w.schema
    ]
    assert not [s for s in sql if "GRANT" in s]


def test_every_service_is_deployed_autoscaled_within_its_partitions_and_composed() -> None:
    services = _docs("services.yaml")
    kinds = {(d["kind"], d["metadata"]["name"]) for d in services}
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())["services"]
    packages = {s.get("build", {}).get("args", {}).get("PACKAGE") for s in compose.values()}
    for workload in workloads():
        assert ("Deployment", workload.name) in kinds
        assert ("PodDisruptionBudget", workload.name) in kinds
        assert workload.package in packages
    scaled = {d["metadata"]["name"]: d["spec"] for d in services if d["kind"] == "ScaledObject"}
    # Singletons: the connectors lead by a lock, the tickers by their group's one partition
    # (ADR 0019); neither scales on lag, and the clock's group is not a work-sharing one.
    assert set(scaled) == {"eligibility-engine", "bank-gateway", "notifier", "ops"}
    assert all(spec["maxReplicaCount"] == 6 for spec in scaled.values())


def test_both_overlays_build_and_every_object_is_valid() -> None:
    for overlay in ("local", "production"):
        docs = build(ROOT, overlay)
        assert [p for d in docs for p in problems(ROOT, d)] == []
    assert compose_problems(ROOT) == []


def test_the_validation_rejects_a_misspelt_field_of_each_kind() -> None:
    docs = build(ROOT, "production")
    kinds = ("Kafka", "KafkaTopic", "KafkaUser", "Cluster", "ObjectStore", "ScaledObject")
    for kind in (*kinds, "Deployment"):
        doc = copy.deepcopy(next(d for d in docs if d["kind"] == kind))
        doc["spec"]["replicaz"] = 3
        assert problems(ROOT, doc), kind
    user = copy.deepcopy(next(d for d in docs if d["kind"] == "KafkaUser"))
    user["spec"]["authentication"]["type"] = "scram-sha-1"
    assert problems(ROOT, user)


def test_the_production_cluster_archives_to_an_object_store_of_the_overlay() -> None:
    docs = build(ROOT, "production")
    stores = {d["metadata"]["name"] for d in docs if d["kind"] == "ObjectStore"}
    cluster = next(d for d in docs if d["kind"] == "Cluster")
    named = {p["parameters"]["barmanObjectName"] for p in cluster["spec"]["plugins"]}
    assert named
    assert named <= stores


def _named(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    return next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name)


def test_the_production_notifiers_together_send_no_faster_than_one_at_the_default_pace() -> None:
    # the pace is per process; the default (10/s) is what the gateway's limit allows
    docs = build(ROOT, "production")
    container = _named(docs, "Deployment", "notifier")["spec"]["template"]["spec"]["containers"][0]
    rate = next(float(e["value"]) for e in container["env"] if e["name"] == "NOTIFIER_SEND_RATE")
    replicas = _named(docs, "ScaledObject", "notifier")["spec"]["maxReplicaCount"]
    assert rate * replicas <= NotifierSettings.model_fields["notifier_send_rate"].default
