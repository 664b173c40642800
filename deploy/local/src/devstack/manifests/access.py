"""Who reads and writes what: one row per service, taken from the services' own settings.

The topics, the consumer group and the schema of each service are the defaults of its
``config.py``; the ACLs, database roles and Deployments are made from these rows, so a
service that starts reading a topic gets its ACL when the manifests are regenerated (a test
fails until they are).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bank_gateway.config import BankGatewaySettings
from benefits_shared.topics import CATALOG, CLOCK_TICKS, LIFE_EVENTS, PERSONS, all_topics
from clock_ticker.config import TickerSettings
from eligibility_engine.config import EngineSettings
from notifier.config import NotifierSettings
from registry_connectors.config import ConnectorSettings

#: The ops service's topics (``services/ops``): commands to engine and notifier, replies.
OPS_COMMANDS, OPS_REPLIES = "ops-commands", "ops-replies"


@dataclass(frozen=True)
class Workload:
    """A service as deployed: its image, its Kafka access, its schema, its HTTP port."""

    name: str
    package: str  # the uv project (the image's build argument)
    module: str  # ``python -m``
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    #: Written through its outbox, whose relay reads them back to recover (ADR 3).
    outbox: tuple[str, ...] = ()
    group: str | None = None
    schema: str | None = None
    http_port: int | None = None  # a port others call (delivery reports, the console)
    scales: bool = False  # more members of its consumer group under lag
    own_probes: bool = False  # serves /healthz and /readyz on its HTTP port itself
    env: dict[str, str] = field(default_factory=dict)

    @property
    def dead_letters(self) -> tuple[str, ...]:
        """The ``.dlq`` companions of what it reads: its consumer loop writes there."""
        names = {t.name for t in all_topics()}
        return tuple(f"{t}.dlq" for t in self.reads if f"{t}.dlq" in names)

    @property
    def all_writes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.outbox, *self.writes, *self.dead_letters)))

    @property
    def all_reads(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.reads, *self.outbox)))

    @property
    def max_replicas(self) -> int:
        """More members than the partitions of its largest input would sit idle."""
        partitions = {t.name: t.partitions for t in all_topics()}
        return max((partitions[t] for t in self.reads if t in partitions), default=1)


def _default(settings: type[Any], name: str) -> Any:
    return settings.model_fields[name].default


def _cataloged(*names: str) -> tuple[str, ...]:
    """The ops topics once the catalog declares them (the ops service adds them)."""
    known = {t.name for t in all_topics()}
    return tuple(n for n in names if n in known)


def workloads() -> list[Workload]:
    engine, gateway, notifier = EngineSettings, BankGatewaySettings, NotifierSettings
    return [
        Workload(
            "registry-connectors",
            "registry-connectors",
            "registry_connectors",
            writes=(
                _default(ConnectorSettings, "life_events_topic"),
                _default(ConnectorSettings, "persons_topic"),
                f"{LIFE_EVENTS.name}.dlq",
                f"{PERSONS.name}.dlq",
            ),
            schema=_default(ConnectorSettings, "connectors_schema"),
        ),
        Workload(
            "clock-ticker",
            "clock-ticker",
            "clock_ticker",
            reads=(_default(TickerSettings, "clock_topic"),),
            writes=(_default(TickerSettings, "clock_topic"),),
            # Its tickers lead by the group's one partition (ADR 0019); one replica.
            group=_default(TickerSettings, "clock_group"),
        ),
        Workload(
            "eligibility-engine",
            "eligibility-engine",
            "eligibility_engine",
            reads=(*_default(engine, "engine_input_topics"), *_cataloged(OPS_COMMANDS)),
            outbox=(_default(engine, "engine_decisions_topic"),),
            writes=_cataloged(OPS_REPLIES),
            group=_default(engine, "engine_group"),
            schema=_default(engine, "engine_schema"),
            scales=True,
        ),
        Workload(
            "bank-gateway",
            "bank-gateway",
            "bank_gateway",
            reads=_default(gateway, "gateway_input_topics"),
            outbox=(_default(gateway, "gateway_payments_topic"),),
            group=_default(gateway, "gateway_group"),
            schema=_default(gateway, "gateway_schema"),
            scales=True,
        ),
        Workload(
            "notifier",
            "notifier",
            "notifier",
            reads=(*_default(notifier, "notifier_input_topics"), *_cataloged(OPS_COMMANDS)),
            outbox=(_default(notifier, "notifier_notices_topic"),),
            writes=_cataloged(OPS_REPLIES),
            group=_default(notifier, "notifier_group"),
            schema=_default(notifier, "notifier_schema"),
            http_port=_default(notifier, "notifier_http_port"),
            scales=True,
            env={"NOTIFIER_HTTP_HOST": "0.0.0.0"},  # noqa: S104 (inside its pod)
        ),
        Workload(
            "ops",
            "benefits-ops",
            "benefits_ops",
            reads=tuple(t.name for t in all_topics() if t.name != OPS_COMMANDS),
            # It redrives dead letters to their origin topic, and sends commands.
            writes=(*(t.name for t in CATALOG if t.has_dead_letters), *_cataloged(OPS_COMMANDS)),
            group="ops-projection",
            schema="ops",
            http_port=8080,
            scales=True,
            own_probes=True,
            # Behind the TLS Ingress: its session cookie is sent over HTTPS only (ADR 0017).
            env={"OPS_HTTP_HOST": "0.0.0.0", "OPS_COOKIE_SECURE": "true"},  # noqa: S104
        ),
    ]


def by_name(name: str) -> Workload:
    return next(w for w in workloads() if w.name == name)


__all__ = ["CLOCK_TICKS", "OPS_COMMANDS", "OPS_REPLIES", "Workload", "by_name", "workloads"]
