"""The connectors' Prometheus families (served with the shared ones).

Labels are topics and registries: never a PIN, a name or a record number.
"""

from __future__ import annotations

from prometheus_client import Counter

RECORDS_PUBLISHED = Counter(
    "connectors_records_published",
    "Records handed to Kafka (events, progress markers, quarantined records), per topic.",
    ["topic"],
)
