"""The Prometheus families every service shares, and the text of ``GET /metrics``.

Families live in the process's default registry, defined once here at import (a
definition is a name and its labels: nothing heavy). A service's own families are in its
``<service>/metrics.py``. Names follow the Prometheus conventions (``benefits_`` prefix,
base units, ``_total`` for counters); labels are topics, groups, partitions, schemas,
partners, endpoint templates and states: never a PIN, a phone, a name or an id of a
person. ``docs/observability.md`` lists every family of every service; the scrape tests
read that list.
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

#: Seconds: from a few milliseconds (one small batch) to a minute (a stuck one).
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

RECORDS_CONSUMED = Counter(
    "benefits_records_consumed",
    "Records a consumer group consumed and committed, per topic (dead letters included).",
    ["group", "topic"],
)
RECORDS_DEAD_LETTERED = Counter(
    "benefits_records_dead_lettered",
    "Records sent to <topic>.dlq, per topic and kind of failure.",
    ["group", "topic", "kind"],
)
BATCH_DURATION = Histogram(
    "benefits_batch_duration_seconds",
    "Time to handle one polled batch and commit it.",
    ["group"],
    buckets=DURATION_BUCKETS,
)
CONSUMER_LAG = Gauge(
    "benefits_consumer_lag_records",
    "Records behind the partition's high watermark after the last batch.",
    ["group", "topic", "partition"],
)
OUTBOX_BACKLOG = Gauge(
    "benefits_outbox_backlog_rows",
    "Outbox rows not yet published, per schema.",
    ["schema"],
)
OUTBOX_PUBLISHED = Counter(
    "benefits_outbox_published",
    "Outbox rows the relay published, per schema and topic.",
    ["schema", "topic"],
)
OUTBOX_RELAY_LATENCY = Histogram(
    "benefits_outbox_relay_latency_seconds",
    "From an outbox row's commit to the broker's acknowledgement of it.",
    ["schema"],
    buckets=DURATION_BUCKETS,
)
PARTNER_CALLS = Counter(
    "benefits_partner_calls",
    "HTTP calls to a partner, per endpoint template and status (or 'error' without one).",
    ["partner", "method", "endpoint", "status"],
)
PARTNER_HEDGES = Counter(
    "benefits_partner_hedges",
    "Second copies of a call that hung while the partner answered others (ADR 25).",
    ["partner"],
)
PARTNER_CALL_DURATION = Histogram(
    "benefits_partner_call_duration_seconds",
    "Latency of HTTP calls to a partner, per endpoint template.",
    ["partner", "method", "endpoint"],
    buckets=DURATION_BUCKETS,
)
CIRCUIT_BREAKER_STATE = Gauge(
    "benefits_circuit_breaker_state",
    "A partner's circuit breaker: 0 closed, 1 half-open, 2 open.",
    ["breaker"],
)
BREAKER_STATES = {"closed": 0, "half_open": 1, "half-open": 1, "open": 2}


def breaker_state(breaker: str, state: str) -> None:
    """Note a circuit breaker's state by name (closed, half_open, open)."""
    CIRCUIT_BREAKER_STATE.labels(breaker=breaker).set(BREAKER_STATES[state.lower()])


def exposition() -> tuple[bytes, str]:
    """The body and content type of ``GET /metrics``."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
