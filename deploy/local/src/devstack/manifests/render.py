"""The generated part of ``deploy/k8s/base``: topics, users, the database, the services.

Each function returns Kubernetes objects (plain dicts); ``write`` puts them in
``deploy/k8s/base/generated/`` and ``stale`` says which files differ from what the code
would write now (``make lint`` fails on any).
"""

from __future__ import annotations

from typing import Any

from benefits_shared.topics import all_topics

from devstack.manifests.access import Workload, workloads
from devstack.postgres import SERVER_SETTINGS

KAFKA = "benefits-kafka"
BOOTSTRAP = f"{KAFKA}-kafka-bootstrap:9093"
DATABASE = "benefits-db"
DB_NAME = "benefits"
REPLICAS, MIN_INSYNC = 3, 2
HEALTH_PORT = 8081
#: Longer than a batch takes (2,000 engine records, or a bank call's retries), so SIGTERM
#: finishes the batch in hand and commits before the kill.
GRACE_SECONDS = 120
LAG_THRESHOLD = 1000
KEDA_USER = "keda"
OPS = "ops"  # the workload whose console shows every group's lag
Doc = dict[str, Any]


#: The label every object and pod of the project carries (the PodMonitor selects by it).
PART_OF = {"app.kubernetes.io/part-of": "proactive-benefits"}


def _meta(name: str, **labels: str) -> Doc:
    return {"name": name, "labels": {**PART_OF, **labels}}


def kafka_topics() -> list[Doc]:
    return [
        {
            "apiVersion": "kafka.strimzi.io/v1",
            "kind": "KafkaTopic",
            "metadata": _meta(topic.name, **{"strimzi.io/cluster": KAFKA}),
            "spec": {
                "topicName": topic.name,
                "partitions": topic.partitions,
                "replicas": REPLICAS,
                "config": {**topic.configs(), "min.insync.replicas": MIN_INSYNC},
            },
        }
        for topic in all_topics()
    ]


def user_name(workload: Workload) -> str:
    return workload.name


def acls(workload: Workload) -> list[Doc]:
    """Read (and Describe) what it reads, Write what it writes, Read its group prefix;
    the ops user also Describes every other group (``consumer_lag`` lists and reads them)."""
    operations: dict[str, list[str]] = {}
    for topic in workload.all_reads:
        operations.setdefault(topic, []).append("Read")
    for topic in workload.all_writes:
        operations.setdefault(topic, []).append("Write")
    rules = [_rule("topic", topic, [*ops, "Describe"]) for topic, ops in operations.items()]
    if workload.group:
        rules.append(_rule("group", workload.group, ["Read"], "prefix"))
    if workload.name == OPS:  # its console's consumer-lag table lists every group's lag
        rules += described_groups(OPS)
    return rules


def _rule(kind: str, name: str, operations: list[str], pattern: str = "literal") -> Doc:
    resource = {"type": kind, "name": name, "patternType": pattern}
    return {"resource": resource, "operations": operations}


def described_groups(reader: str | None = None) -> list[Doc]:
    """Describe on every workload's group but the ``reader``'s own: its lag is readable."""
    return [
        _rule("group", w.group, ["Describe"], "prefix")
        for w in workloads()
        if w.group and w.name != reader
    ]


def kafka_users() -> list[Doc]:
    users = [_user(user_name(w), acls(w)) for w in workloads() if w.all_reads or w.all_writes]
    watched = [_rule("topic", t.name, ["Describe"]) for t in all_topics()]
    return [*users, _user(KEDA_USER, watched + described_groups())]


def _user(name: str, rules: list[Doc]) -> Doc:
    return {
        "apiVersion": "kafka.strimzi.io/v1",
        "kind": "KafkaUser",
        "metadata": _meta(name, **{"strimzi.io/cluster": KAFKA}),
        "spec": {
            "authentication": {"type": "scram-sha-512"},
            "authorization": {"type": "simple", "acls": rules},
        },
    }


def role_name(workload: Workload) -> str:
    return workload.name.replace("-", "_")


def database_sql(owner_roles: list[Workload] | None = None) -> list[str]:
    """Run once at the cluster's creation: a role per service, owning only its schema.

    The roles are made without LOGIN; the operator's managed roles give them LOGIN and
    their passwords. No role but the owner may use a schema; nobody creates in public.
    """
    sql = ["REVOKE ALL ON SCHEMA public FROM PUBLIC"]
    for workload in owner_roles if owner_roles is not None else _with_schema():
        role, schema = role_name(workload), workload.schema
        sql += [f'CREATE ROLE "{role}" NOLOGIN', f'CREATE SCHEMA "{schema}" AUTHORIZATION "{role}"']
    return sql


def _with_schema() -> list[Workload]:
    return [w for w in workloads() if w.schema]


def db_secret(workload: Workload) -> str:
    return f"db-{workload.name}"


def database_cluster() -> Doc:
    roles = [
        {
            "name": role_name(w),
            "ensure": "present",
            "login": True,
            "connectionLimit": 60,
            "passwordSecret": {"name": db_secret(w)},
        }
        for w in _with_schema()
    ]
    return {
        "apiVersion": "postgresql.cnpg.io/v1",
        "kind": "Cluster",
        "metadata": _meta(DATABASE),
        "spec": {
            "instances": 3,
            "primaryUpdateStrategy": "unsupervised",
            "storage": {"size": "50Gi"},
            "postgresql": {"parameters": {"max_connections": "400", **SERVER_SETTINGS}},
            "bootstrap": {
                "initdb": {
                    "database": DB_NAME,
                    "owner": "benefits_admin",
                    "postInitApplicationSQL": database_sql(),
                }
            },
            "managed": {"roles": roles},
        },
    }
