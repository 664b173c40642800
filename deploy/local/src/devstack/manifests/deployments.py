"""One Deployment per service, its disruption budget, its Service, its lag autoscaler."""

from __future__ import annotations

from typing import Any

from devstack.manifests.access import Workload, workloads
from devstack.manifests.render import (
    BOOTSTRAP,
    DATABASE,
    DB_NAME,
    GRACE_SECONDS,
    HEALTH_PORT,
    KAFKA,
    KEDA_USER,
    LAG_THRESHOLD,
    PART_OF,
    _meta,
    db_secret,
    role_name,
    user_name,
)

Doc = dict[str, Any]
KAFKA_CA, POSTGRES_CA = "/etc/benefits/kafka-ca/ca.crt", "/etc/benefits/postgres-ca/ca.crt"
#: Peak memory per process in the benchmark was 100-150 MB; the engine's batches are larger.
MEMORY = {"eligibility-engine": ("512Mi", "1Gi")}
DEFAULT_MEMORY = ("256Mi", "512Mi")


def _secret(name: str, key: str) -> Doc:
    return {"secretKeyRef": {"name": name, "key": key}}


def environment(workload: Workload) -> list[Doc]:
    env: list[Doc] = [
        {"name": "KAFKA_BOOTSTRAP_SERVERS", "value": BOOTSTRAP},
        {"name": "KAFKA_SECURITY_PROTOCOL", "value": "SASL_SSL"},
        {"name": "KAFKA_SASL_MECHANISM", "value": "SCRAM-SHA-512"},
        {"name": "KAFKA_SASL_USERNAME", "value": user_name(workload)},
        {"name": "KAFKA_SASL_PASSWORD", "valueFrom": _secret(user_name(workload), "password")},
        {"name": "KAFKA_SSL_CAFILE", "value": KAFKA_CA},
        {"name": "PIN_HMAC_KEY", "valueFrom": _secret("pin-hmac-key", "key")},
        {"name": "LOG_LEVEL", "value": "INFO"},
        # Refuses development secrets, Kafka or PostgreSQL without TLS (ADR 0017).
        {"name": "APP_ENV", "value": "production"},
    ]
    if workload.name == "notifier":  # the SMS gateway signs its delivery reports with it
        env.append({"name": "SMS_REPORT_SECRET", "valueFrom": _secret("sms-report-secret", "key")})
    if workload.schema:
        url = f"postgresql+asyncpg://{role_name(workload)}@{DATABASE}-rw:5432/{DB_NAME}"
        env += [
            {"name": "DATABASE_URL", "value": url},
            {"name": "DATABASE_PASSWORD", "valueFrom": _secret(db_secret(workload), "password")},
            {"name": "DATABASE_SSLMODE", "value": "verify-full"},
            {"name": "DATABASE_SSLROOTCERT", "value": POSTGRES_CA},
        ]
    if not workload.own_probes:
        env += [
            {"name": "HEALTH_PORT", "value": str(HEALTH_PORT)},
            {"name": "HEALTH_HOST", "value": "0.0.0.0"},  # noqa: S104 (inside its pod)
        ]
    return env + [{"name": k, "value": v} for k, v in workload.env.items()]


def _probe_port(workload: Workload) -> int:
    """The ops service serves its own probes on its HTTP port; the others on HEALTH_PORT."""
    return workload.http_port if workload.own_probes and workload.http_port else HEALTH_PORT


def _scrape(workload: Workload) -> dict[str, str]:
    """Where Prometheus finds the pod's ``/metrics``: the probes' port (docs/observability.md)."""
    return {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": str(_probe_port(workload)),
        "prometheus.io/path": "/metrics",
    }


def _probe(path: str, period: int, failures: int, port: int) -> Doc:
    return {
        "httpGet": {"path": path, "port": port},
        "periodSeconds": period,
        "timeoutSeconds": 5,
        "failureThreshold": failures,
    }


def _ports(workload: Workload) -> list[Doc]:
    ports = [] if workload.own_probes else [{"name": "health", "containerPort": HEALTH_PORT}]
    if workload.http_port:
        ports.append({"name": "http", "containerPort": workload.http_port})
    return ports


def _container(workload: Workload) -> Doc:
    request, limit = MEMORY.get(workload.name, DEFAULT_MEMORY)
    port = _probe_port(workload)
    mounts = [
        {"name": "kafka-ca", "mountPath": "/etc/benefits/kafka-ca", "readOnly": True},
        {"name": "tmp", "mountPath": "/tmp"},  # noqa: S108 (an emptyDir)
    ]
    if workload.schema:
        mounts.append(
            {"name": "postgres-ca", "mountPath": "/etc/benefits/postgres-ca", "readOnly": True}
        )
    return {
        "name": "service",
        "image": f"benefits/{workload.package}",
        "env": environment(workload),
        "ports": _ports(workload),
        # Migrations run before the probes answer: the start-up probe gives them 5 minutes.
        "startupProbe": _probe("/healthz", 5, 60, port),
        "livenessProbe": _probe("/healthz", 10, 6, port),
        "readinessProbe": _probe("/readyz", 10, 3, port),
        "resources": {
            "requests": {"cpu": "250m", "memory": request},
            "limits": {"cpu": "1", "memory": limit},
        },
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        },
        "volumeMounts": mounts,
    }


def _volumes(workload: Workload) -> list[Doc]:
    ca = {"secretName": f"{KAFKA}-cluster-ca-cert", "items": [{"key": "ca.crt", "path": "ca.crt"}]}
    volumes: list[Doc] = [{"name": "kafka-ca", "secret": ca}, {"name": "tmp", "emptyDir": {}}]
    if workload.schema:
        pg_ca = {"secretName": f"{DATABASE}-ca", "items": [{"key": "ca.crt", "path": "ca.crt"}]}
        volumes.append({"name": "postgres-ca", "secret": pg_ca})
    return volumes


def deployment(workload: Workload) -> Doc:
    labels = {"app.kubernetes.io/name": workload.name}
    # A singleton (a cursor, a clock) never runs twice at once; scaled group members roll.
    strategy: Doc = (
        {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}
        if workload.scales
        else {"type": "Recreate"}
    )
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _meta(workload.name, **labels),
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": labels},
            "strategy": strategy,
            "template": {
                "metadata": {
                    "labels": {**labels, **PART_OF},
                    "annotations": _scrape(workload),
                },
                "spec": {
                    "terminationGracePeriodSeconds": GRACE_SECONDS,
                    "securityContext": {
                        "runAsNonRoot": True,
                        "runAsUser": 10001,
                        "runAsGroup": 10001,
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "containers": [_container(workload)],
                    "volumes": _volumes(workload),
                },
            },
        },
    }


def disruption_budget(workload: Workload) -> Doc:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": _meta(workload.name),
        "spec": {
            "maxUnavailable": 1,  # one member at a time: one rebalance at a time
            "selector": {"matchLabels": {"app.kubernetes.io/name": workload.name}},
        },
    }


def service(workload: Workload) -> Doc:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _meta(workload.name),
        "spec": {
            "selector": {"app.kubernetes.io/name": workload.name},
            "ports": [{"name": "http", "port": workload.http_port, "targetPort": "http"}],
        },
    }


def scaled_object(workload: Workload) -> Doc:
    return {
        "apiVersion": "keda.sh/v1alpha1",
        "kind": "ScaledObject",
        "metadata": _meta(workload.name),
        "spec": {
            "scaleTargetRef": {"name": workload.name},
            "minReplicaCount": 1,
            "maxReplicaCount": workload.max_replicas,
            "pollingInterval": 30,
            "cooldownPeriod": 300,
            "triggers": [
                {
                    "type": "kafka",
                    "metadata": {
                        "bootstrapServers": BOOTSTRAP,
                        "consumerGroup": workload.group,
                        "lagThreshold": str(LAG_THRESHOLD),
                        "offsetResetPolicy": "earliest",
                        "allowIdleConsumers": "false",
                    },
                    "authenticationRef": {"name": "keda-kafka"},
                }
            ],
        },
    }


def keda_authentication() -> Doc:
    return {
        "apiVersion": "keda.sh/v1alpha1",
        "kind": "TriggerAuthentication",
        "metadata": _meta("keda-kafka"),
        "spec": {
            "secretTargetRef": [
                {"parameter": "sasl", "name": "keda-kafka-settings", "key": "sasl"},
                {"parameter": "tls", "name": "keda-kafka-settings", "key": "tls"},
                {"parameter": "username", "name": "keda-kafka-settings", "key": "username"},
                {"parameter": "password", "name": KEDA_USER, "key": "password"},
                {"parameter": "ca", "name": f"{KAFKA}-cluster-ca-cert", "key": "ca.crt"},
            ]
        },
    }


def service_objects() -> list[Doc]:
    docs: list[Doc] = []
    for workload in workloads():
        docs += [deployment(workload), disruption_budget(workload)]
        if workload.http_port:
            docs.append(service(workload))
        if workload.scales:
            docs.append(scaled_object(workload))
    return [*docs, keda_authentication()]
