"""What a redriven dead letter is sent as (pure).

A redrive sends the record back to its origin topic with its original key and headers
(the ``dlq_*`` ones removed). As it is, it keeps its ``ce_id``: the record never took
effect (it was dead-lettered instead), so no inbox holds that id and the consumer that
refused it will process it; a second redrive of the same record is a duplicate every
inbox drops. Fixed, its content changed, so it gets a **new** ``ce_id``, deterministic
from the original id and the fixed bytes: the same fix sent twice is one event, a
different fix is another. Either way the ``ops_redrive`` header names the dead letter.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from benefits_shared.cloudevents import deterministic_id_text
from benefits_shared.kafka.dead_letters import without_dead_letter_headers

from benefits_ops.errors import ActionRefused
from benefits_ops.projection import RawRecord

REDRIVE_HEADER = "ops_redrive"


@dataclass(frozen=True, slots=True)
class Redrive:
    topic: str
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]
    ce_id: str | None
    fixed: bool
    fix_sha256: str | None


def plan(dead_letter_id: int, origin: str, record: RawRecord, fixed_payload: Any | None) -> Redrive:
    headers = without_dead_letter_headers(record.headers)
    original_id = _header(headers, "ce_id")
    value = record.value or b""
    changed = fixed_payload is not None and not _same_json(value, fixed_payload)
    fix_sha256 = None
    if changed:
        if not isinstance(fixed_payload, dict):
            raise ActionRefused("a fixed payload must be a JSON object", status=422)
        value = json.dumps(fixed_payload, separators=(",", ":"), ensure_ascii=False).encode()
        fix_sha256 = hashlib.sha256(value).hexdigest()
        base = original_id or f"{record.topic}:{record.partition}:{record.offset}"
        new_id = deterministic_id_text("ops-redrive", base, fix_sha256)
        headers = [(k, v) for k, v in headers if k != "ce_id"] + [("ce_id", new_id.encode())]
    headers = [(k, v) for k, v in headers if k != REDRIVE_HEADER]
    headers.append((REDRIVE_HEADER, str(dead_letter_id).encode()))
    return Redrive(
        origin, record.key, value, headers, _header(headers, "ce_id"), changed, fix_sha256
    )


def _header(headers: list[tuple[str, bytes]], name: str) -> str | None:
    for k, v in headers:
        if k == name:
            return v.decode("utf-8", errors="replace")
    return None


def _same_json(value: bytes, payload: Any) -> bool:
    try:
        return bool(json.loads(value) == payload)
    except ValueError:
        return False
