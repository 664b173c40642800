"""What a decision is stored and queued as: its row, and its CloudEvent in the outbox.

The event is exactly what ``BenefitDecided.to_cloudevent`` and ``OutgoingEvent.row`` of
the shared library make of the decision (a unit test holds it to that), with the JSON
serialised once, by pydantic, and used for both the event's value and the stored body.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from benefits_shared.clock import BAKU
from benefits_shared.cloudevents import CloudEvent
from benefits_shared.contracts.decisions import BenefitDecided
from benefits_shared.db.outbox import traced
from benefits_shared.tracing import TRACEPARENT

SOURCE = "/eligibility-engine"

Columns = dict[str, list[Any]]


def decision_rows(
    topic: str,
    decisions: Sequence[tuple[BenefitDecided, int]],
    traces: Mapping[str, str] | None = None,
) -> tuple[Columns, Columns]:
    """The decisions' rows (each at its position in its case) and their outbox rows, as
    columns, in the order the decisions were made; a decision whose case has a trace
    (``traces``, by case id) carries a child of it (``ce_traceparent``)."""
    stored: list[dict[str, Any]] = []
    queued: list[dict[str, Any]] = []
    for decided, position in decisions:
        envelope, value = decision_event(decided)
        envelope = traced(envelope, topic, (traces or {}).get(decided.case_id))
        stored.append(
            {
                "id": decided.decision_id,
                "case_id": decided.case_id,
                "outcome": decided.outcome,
                "supersedes": decided.supersedes,
                "decided_on": decided.decided_on,
                "body": value,
                "position": position,
            }
        )
        queued.append(
            {
                "id": envelope.id,
                "topic": topic,
                "key": decided.case_id.encode(),
                "headers": json.dumps([[k, v.decode()] for k, v in envelope.headers()]),
                "value": value.encode(),
                "traceparent": envelope.extensions.get(TRACEPARENT),
            }
        )
    return _columns(stored), _columns(queued)


def decision_event(decided: BenefitDecided) -> tuple[CloudEvent, str]:
    """The decision's CloudEvent envelope (its ``data`` travels as the value) and value:
    the same compact UTF-8 JSON text as ``CloudEvent.value()``."""
    return decided.envelope(SOURCE, _noon(decided.decided_on), None), decided.model_dump_json()


def _columns(rows: list[dict[str, Any]]) -> Columns:
    return {key: [r[key] for r in rows] for key in rows[0]} if rows else {}


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), BAKU)
