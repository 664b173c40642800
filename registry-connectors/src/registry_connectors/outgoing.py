"""What the connectors hand to Kafka: an event or a quarantined record, ready to send."""

from __future__ import annotations

from dataclasses import dataclass

from benefits_shared.cloudevents import CloudEvent

Headers = tuple[tuple[str, bytes], ...]


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One Kafka record. ``id`` is the deterministic id (``ce_id`` or ``dlq_id``)."""

    topic: str
    key: bytes | None
    value: bytes
    headers: Headers
    id: str


def event_message(topic: str, event: CloudEvent) -> Outgoing:
    """A CloudEvent in binary mode, keyed by its subject (a keyed PIN hash, never a PIN)."""
    key = event.subject.encode() if event.subject is not None else None
    return Outgoing(topic, key, event.value(), tuple(event.headers()), event.id)
