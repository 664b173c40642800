"""Quarantine: a registry record we cannot turn into an event goes to ``<topic>.dlq``.

The value is the raw record as the registry sent it; the headers are written by the shared
``benefits_shared.kafka.dead_letters.DeadLetterHeaders`` (``dlq_reason``, ``dlq_kind``,
``dlq_topic``, ``dlq_group``, ``dlq_at``) and add where the record came from, since it was
never on a Kafka topic: ``dlq_source`` (``civil-registry``, ``mse-drop``,
``population-registry``) and ``dlq_seq`` / ``dlq_record_no`` / ``dlq_file`` / ``dlq_line`` /
``dlq_pin_hash`` as they apply. ``dlq_id`` is deterministic (uuid5 of the source, where and
the content), so a record quarantined twice (a crash, a re-delivery) has the same id.
A reason never quotes a value of the record: it names the field and the defect.
A raw record over :data:`MAX_DEAD_LETTER_BYTES` (Kafka refuses messages over a megabyte)
keeps its first bytes; ``dlq_truncated_from`` then gives its length and ``dlq_sha256`` its
hash (the whole of it stays at the source: the drop folder, the registry).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from benefits_shared.cloudevents import deterministic_id_text
from benefits_shared.kafka.dead_letters import DeadLetterHeaders

from registry_connectors.outgoing import Outgoing

MAX_DEAD_LETTER_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class Defect:
    """Why a record cannot become an event. ``kind`` classifies, ``reason`` explains."""

    kind: str
    reason: str


def missing(field: str) -> Defect:
    return Defect("missing_field", f"{field} is missing")


def bad_pin(field: str) -> Defect:
    return Defect("bad_pin", f"{field} is not a PIN (7 of [0-9A-HJ-NP-Z])")


def impossible_date(field: str) -> Defect:
    return Defect("impossible_date", f"{field} is not an existing date")


def bad_value(field: str, expected: str) -> Defect:
    return Defect("bad_value", f"{field} must be {expected}")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a quarantined record comes from: the connector and its position there."""

    source: str
    topic: str
    where: Mapping[str, str]


def quarantine_message(
    origin: Origin, raw: bytes, defect: Defect, identity: tuple[str, ...], at: datetime
) -> Outgoing:
    """The dead letter of one raw record; ``identity`` names it (position and content)."""
    dlq_id = deterministic_id_text("quarantine", origin.source, *identity)
    group = f"registry-connectors.{origin.source}"
    where = {"id": dlq_id, "source": origin.source, **origin.where}
    if len(raw) > MAX_DEAD_LETTER_BYTES:
        where["truncated_from"] = str(len(raw))
        where["sha256"] = hashlib.sha256(raw).hexdigest()
        raw = raw[:MAX_DEAD_LETTER_BYTES]
    why = DeadLetterHeaders(defect.reason, defect.kind, origin.topic, group, at, extra=where)
    return Outgoing(f"{origin.topic}.dlq", dlq_id.encode(), raw, tuple(why.encode()), dlq_id)
