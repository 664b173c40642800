"""The topic catalog: every topic of the system, declared once, created at ``make up``.

Each topic has a dead-letter companion ``<name>.dlq`` (same partitions, longer
retention) where consumers put classified poison messages with the error in headers.
"""

from __future__ import annotations

from dataclasses import dataclass

DAY_MS = 24 * 60 * 60 * 1000
FOREVER = -1


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    partitions: int
    compacted: bool = False
    retention_ms: int = FOREVER
    has_dead_letters: bool = True
    doc: str = ""
    #: What the Kafka key of a record is (for the published catalog).
    key: str = "keyed hash of the subject's PIN"

    @property
    def dead_letter(self) -> str:
        return dead_letter_name(self.name)

    def configs(self) -> dict[str, str]:
        if self.compacted:
            return {"cleanup.policy": "compact", "min.compaction.lag.ms": str(60_000)}
        return {"cleanup.policy": "delete", "retention.ms": str(self.retention_ms)}


LIFE_EVENTS = Topic(
    "life-events",
    6,
    doc="Births, deaths, certificates, cancellations and corrections; the civil and MSE "
    "connectors' progress markers on every partition (ADR 0008).",
)
PERSONS = Topic(
    "persons",
    6,
    compacted=True,
    doc="The population registry mirror, keyed by PIN hash; the mirror's progress markers on "
    "every partition (ADR 0008).",
)
CLOCK_TICKS = Topic("clock-ticks", 1, doc="One tick per Asia/Baku day, for time-based rules.")
BENEFIT_DECISIONS = Topic("benefit-decisions", 6, doc="Every decision of the engine.")
PAYMENTS = Topic("payments", 6, doc="Accounts opened, payments submitted, settled, rejected.")
NOTICES = Topic("notices", 6, doc="SMS notices handed to the gateway and their delivery.")
OPS_COMMANDS = Topic(
    "ops-commands",
    3,
    retention_ms=30 * DAY_MS,
    doc="Commands of ops staff to the services: replay, shadow run, cancel, retry a notice.",
    key="the command id (a cancel: the id of the command it cancels)",
)
OPS_REPLIES = Topic(
    "ops-replies",
    3,
    retention_ms=30 * DAY_MS,
    doc="The services' answers to ops commands: progress, differences, results.",
    key="the command id",
)

CATALOG: tuple[Topic, ...] = (
    LIFE_EVENTS,
    PERSONS,
    CLOCK_TICKS,
    BENEFIT_DECISIONS,
    PAYMENTS,
    NOTICES,
    OPS_COMMANDS,
    OPS_REPLIES,
)


def sibling(topic: Topic, known: Topic, actual: str) -> str:
    """``topic``'s name where ``known`` is named ``actual``: runs and tests add a suffix to
    every topic (``benefit-decisions-x`` → ``ops-commands-x``); without one, the name."""
    if actual.startswith(f"{known.name}-"):
        return topic.name + actual.removeprefix(known.name)
    return topic.name


def dead_letter_name(name: str) -> str:
    """The name of topic ``name``'s dead-letter companion."""
    return f"{name}.dlq"


def dead_letter_topic(topic: Topic) -> Topic:
    return Topic(
        topic.dead_letter,
        topic.partitions,
        retention_ms=FOREVER,
        has_dead_letters=False,
        doc=f"Dead letters of {topic.name}, with the error in headers.",
    )


def all_topics() -> list[Topic]:
    """The catalog with every dead-letter companion."""
    out: list[Topic] = []
    for topic in CATALOG:
        out.append(topic)
        if topic.has_dead_letters:
            out.append(dead_letter_topic(topic))
    return out


def by_name(name: str) -> Topic:
    for topic in all_topics():
        if topic.name == name:
            return topic
    raise KeyError(name)
