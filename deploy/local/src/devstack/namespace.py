"""Names of topics, schemas, consumer groups and ports for one run of the whole system.

``make run`` uses the catalog's names. The end-to-end tests use a namespace of their own
(a suffix, and ports moved by an offset), so that they never meet a demo's data on the
same Kafka and PostgreSQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from benefits_shared.topics import (
    BENEFIT_DECISIONS,
    CATALOG,
    CLOCK_TICKS,
    LIFE_EVENTS,
    NOTICES,
    PAYMENTS,
    PERSONS,
    Topic,
    all_topics,
)


@dataclass(frozen=True)
class Namespace:
    suffix: str = ""
    port_offset: int = 0

    def topic(self, topic: Topic) -> str:
        return f"{topic.name}-{self.suffix}" if self.suffix else topic.name

    def name(self, base: str) -> str:
        return f"{base}_{self.suffix}" if self.suffix else base

    def port(self, base: int) -> int:
        return base + self.port_offset

    def topics(self) -> list[Topic]:
        """The catalog under this namespace's names, dead-letter companions included."""
        return [
            Topic(
                self.actual(t.name),
                t.partitions,
                t.compacted,
                t.retention_ms,
                t.has_dead_letters,
                t.doc,
            )
            for t in all_topics()
        ]

    def actual(self, name: str) -> str:
        """A catalog topic's name (``persons``, ``persons.dlq``) in this namespace."""
        for t in CATALOG:
            if name == t.name:
                return self.topic(t)
            if name == t.dead_letter:
                return f"{self.topic(t)}.dlq"
        return name

    def service_env(self) -> dict[str, dict[str, str]]:
        """Each service's settings that name topics, schemas and groups."""
        t = self.topic
        return {
            "connectors": {
                "LIFE_EVENTS_TOPIC": t(LIFE_EVENTS),
                "PERSONS_TOPIC": t(PERSONS),
                "CONNECTORS_SCHEMA": self.name("connectors"),
            },
            "clock-ticker": {
                "CLOCK_TOPIC": t(CLOCK_TICKS),
                "CLOCK_GROUP": self.group("clock-ticker"),
            },
            "engine": {
                "ENGINE_INPUT_TOPICS": json.dumps(
                    [t(PERSONS), t(LIFE_EVENTS), t(CLOCK_TICKS), t(PAYMENTS)]
                ),
                "ENGINE_DECISIONS_TOPIC": t(BENEFIT_DECISIONS),
                "ENGINE_SCHEMA": self.name("engine"),
                "ENGINE_GROUP": self.group("engine"),
            },
            "bank-gateway": {
                "GATEWAY_INPUT_TOPICS": json.dumps([t(BENEFIT_DECISIONS), t(CLOCK_TICKS)]),
                "GATEWAY_PAYMENTS_TOPIC": t(PAYMENTS),
                "GATEWAY_SCHEMA": self.name("bank_gateway"),
                "GATEWAY_GROUP": self.group("bank-gateway"),
            },
            "notifier": {
                "NOTIFIER_INPUT_TOPICS": json.dumps(
                    [t(BENEFIT_DECISIONS), t(PAYMENTS), t(PERSONS)]
                ),
                "NOTIFIER_NOTICES_TOPIC": t(NOTICES),
                "NOTIFIER_SCHEMA": self.name("notifier"),
                "NOTIFIER_GROUP": self.group("notifier"),
            },
            "ops": {
                "OPS_TOPICS": json.dumps([topic.name for topic in self.topics()]),
                "OPS_SCHEMA": self.name("ops"),
                "OPS_GROUP": self.group("ops"),
            },
        }

    def group(self, service: str) -> str:
        groups = {
            "engine": "eligibility-engine",
            "bank-gateway": "bank-gateway",
            "notifier": "notifier",
            "ops": "ops-projection",
        }
        base = groups.get(service, service)
        return f"{base}-{self.suffix}" if self.suffix else base
