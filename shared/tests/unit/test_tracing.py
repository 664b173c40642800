"""The trace context: started at a registry record, continued by each hop, off by default."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from benefits_shared import tracing
from benefits_shared.cloudevents import CloudEvent
from benefits_shared.db.outbox import OutgoingEvent
from benefits_shared.partner_calls import endpoint_template
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture
def spans(monkeypatch: pytest.MonkeyPatch) -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(tracing, "_tracer", provider.get_tracer("test"))
    return exporter


def event() -> CloudEvent:
    return CloudEvent("id-1", "/t", "az.gov.benefits.x.v1", datetime.now(UTC), {"a": 1})


def record(key: bytes, ce_id: str, traceparent: str | None) -> SimpleNamespace:
    headers = [("ce_id", ce_id.encode())]
    if traceparent:
        headers.append(("ce_traceparent", traceparent.encode()))
    return SimpleNamespace(topic="life-events", key=key, headers=headers)


def test_without_a_provider_nothing_starts_and_a_context_passes_unchanged() -> None:
    assert isinstance(
        trace.get_tracer_provider(), trace.ProxyTracerProvider | trace.NoOpTracerProvider
    )
    assert tracing.new_trace("read") is None
    assert tracing.child_of(PARENT, "publish") == PARENT
    assert tracing.child_of(None, "publish") is None


def test_an_event_written_in_a_batch_is_a_child_of_the_record_with_its_key(
    spans: InMemorySpanExporter,
) -> None:
    with tracing.consuming("g", [record(b"k1", "e1", PARENT), record(b"k2", "e2", None)]):
        row = OutgoingEvent("benefit-decisions", b"k1", event()).row()
        other = OutgoingEvent("benefit-decisions", b"k2", event()).row()
    assert row["traceparent"].split("-")[1] == PARENT.split("-")[1]
    assert row["traceparent"] != PARENT  # a span of its own
    assert ["ce_traceparent", row["traceparent"]] in row["headers"]
    assert other["traceparent"] is None
    names = [s.name for s in spans.get_finished_spans()]
    assert names == ["benefit-decisions publish", "life-events process"]


def test_an_event_naming_its_cause_follows_the_cause_whatever_its_key(
    spans: InMemorySpanExporter,
) -> None:
    with tracing.consuming("g", [record(b"k1", "decision-1", PARENT)]):
        row = OutgoingEvent("payments", b"other", event(), ("decision-1",)).row()
    assert row["traceparent"].split("-")[1] == PARENT.split("-")[1]


def test_a_partner_call_is_labelled_by_a_path_template_that_names_nobody() -> None:
    assert endpoint_template("/v1/accounts") == "/v1/accounts"
    assert endpoint_template("/persons/7CD9P3Q/phone") == "/persons/{id}/phone"
    assert endpoint_template("/v1/payments/AZ21NABZ00000000137010001944") == "/v1/payments/{id}"
    assert endpoint_template("/messages/994501234567") == "/messages/{id}"
