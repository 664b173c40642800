"""What a consumed record becomes in the ops projection (pure).

Every record of a catalog topic becomes an :class:`EventRow`, every record of a ``.dlq``
topic a :class:`DeadLetterRow`. Nothing is refused: a record without a readable envelope
is kept by its position as ``unreadable``, a CloudEvent type we do not know is kept with
its (redacted) payload and shown as such. The area (``life-events``, ``persons``, …) is the
catalog topic the record's topic is named after, so a run's namespaced topics map too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from benefits_shared.cloudevents import InvalidEnvelopeError, decode
from benefits_shared.kafka.dead_letters import DeadLetterHeaders
from benefits_shared.topics import CATALOG

from benefits_ops.pin_redaction import PinRedactor, digests_in

DLQ_SUFFIX = ".dlq"


@dataclass(frozen=True, slots=True)
class RawRecord:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]


@dataclass(frozen=True, slots=True)
class EventRow:
    topic: str
    partition: int
    offset: int
    kind: str
    ce_id: str | None
    ce_type: str | None
    ce_time: datetime | None
    pin_hashes: tuple[str, ...]
    decision_id: str | None
    case_id: str | None
    payload: dict[str, Any] | None
    #: The W3C trace id of the citizen's journey (``ce_traceparent``, ADR 0015), if any.
    trace_id: str | None = None


@dataclass(frozen=True, slots=True)
class DeadLetterRow:
    dlq_topic: str
    dlq_partition: int
    dlq_offset: int
    origin_topic: str
    origin_partition: int | None
    origin_offset: int | None
    reason: str
    kind: str
    consumer_group: str | None
    dead_at: datetime | None
    ce_id: str | None
    ce_type: str | None
    pin_hashes: tuple[str, ...]


def area_of(topic: str) -> str:
    """The catalog topic a (possibly namespaced) topic is named after; else the name."""
    base = topic.removesuffix(DLQ_SUFFIX)
    for t in sorted(CATALOG, key=lambda t: -len(t.name)):
        if base == t.name or base.startswith(f"{t.name}-"):
            return t.name
    return base


def project(record: RawRecord, redactor: PinRedactor) -> EventRow | DeadLetterRow:
    if record.topic.endswith(DLQ_SUFFIX):
        return dead_letter(record, redactor)
    return event(record, redactor)


def event(record: RawRecord, redactor: PinRedactor) -> EventRow:
    key_hashes = digests_in(_text(record.key))
    try:
        ce = decode(record.headers, record.value)
    except InvalidEnvelopeError:
        return EventRow(
            *_position(record), "unreadable", None, None, None, tuple(key_hashes), None, None, None
        )
    redacted = redactor.redact(dict(ce.data))
    payload: dict[str, Any] = redacted.payload
    decision_id, case_id = _str(payload.get("decision_id")), _str(payload.get("case_id"))
    hashes = redacted.pin_hashes | key_hashes | digests_in(case_id, ce.subject)
    return EventRow(
        *_position(record),
        area_of(record.topic),
        ce.id,
        ce.type,
        ce.time,
        tuple(sorted(hashes)),
        decision_id,
        case_id,
        payload,
        trace_id_of(ce.extensions.get("traceparent")),
    )


def trace_id_of(traceparent: str | None) -> str | None:
    """``00-<trace id>-<span id>-<flags>`` → the trace id; None for anything else."""
    parts = (traceparent or "").split("-")
    if len(parts) == 4 and len(parts[1]) == 32 and parts[1].isalnum():
        return parts[1].lower()
    return None


def dead_letter(record: RawRecord, redactor: PinRedactor) -> DeadLetterRow:
    why = DeadLetterHeaders.decode(record.headers)
    h = {k: _text(v) or "" for k, v in record.headers}
    hashes = digests_in(_text(record.key)) | _payload_hashes(record.value, redactor)
    return DeadLetterRow(
        record.topic,
        record.partition,
        record.offset,
        why.topic or record.topic.removesuffix(DLQ_SUFFIX),
        why.partition,
        why.offset,
        why.reason,
        why.kind,
        why.group,
        why.at,
        h.get("ce_id") or None,
        h.get("ce_type") or None,
        tuple(sorted(hashes)),
    )


def _payload_hashes(value: bytes | None, redactor: PinRedactor) -> set[str]:
    text = _text(value)
    if text is None:
        return set()
    try:
        return redactor.redact(json.loads(text)).pin_hashes
    except ValueError:
        return redactor.redact(text).pin_hashes


def _position(record: RawRecord) -> tuple[str, int, int]:
    return (record.topic, record.partition, record.offset)


def _text(raw: bytes | None) -> str | None:
    return raw.decode("utf-8", errors="replace") if raw is not None else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
