"""What the connectors hand to Kafka: an event or a quarantined record, ready to send."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from benefits_shared.cloudevents import CloudEvent
from benefits_shared.contracts.base import Contract
from benefits_shared.contracts.progress import ProgressMarker

Headers = tuple[tuple[str, bytes], ...]
CE_SOURCE = "/registry-connectors"


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One Kafka record. ``id`` is the deterministic id (``ce_id`` or ``dlq_id``);
    ``partition`` is set only for a record that must go to every partition (a marker)."""

    topic: str
    key: bytes | None
    value: bytes
    headers: Headers
    id: str
    partition: int | None = None


def event_message(
    topic: str, payload: Contract, source: str, time: datetime, subject: str | None
) -> Outgoing:
    """The payload's CloudEvent in binary mode, keyed by its subject (a keyed PIN hash,
    never a PIN); the value is written straight from the model (``Contract.kafka_value``)."""
    value = payload.kafka_value()
    return envelope_message(
        topic, payload.event_id(), payload.type_name(), value, source, time, subject
    )


def envelope_message(
    topic: str,
    event_id: str,
    type_name: str,
    value: bytes,
    source: str,
    time: datetime,
    subject: str | None,
) -> Outgoing:
    """An event's value with its CloudEvent headers (``Contract.envelope``'s, without the
    model), keyed by its subject."""
    event = CloudEvent(event_id, source, type_name, time, {}, subject)
    key = subject.encode() if subject is not None else None
    return Outgoing(topic, key, value, tuple(event.headers()), event.id)


def progress_messages(
    topic: str, partitions: int, kind: type[ProgressMarker], at: datetime, **progress: Any
) -> list[Outgoing]:
    """A ``kind`` marker saying ``progress`` on each partition of ``topic``: sent after the
    records it describes, it comes after them on every partition (one producer keeps the
    order)."""
    out: list[Outgoing] = []
    for partition in range(partitions):
        m = kind(partition=partition, partitions=partitions, **progress)
        event = m.to_cloudevent(CE_SOURCE, at, None)
        headers = tuple(event.headers())
        out.append(Outgoing(topic, m.kafka_key(), event.value(), headers, event.id, partition))
    return out
