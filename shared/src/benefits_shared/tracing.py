"""OpenTelemetry traces of a citizen's journey, carried by the events themselves.

The W3C trace context travels in the CloudEvents distributed-tracing extension: the
attribute ``traceparent``, in Kafka the header ``ce_traceparent``, and on HTTP calls to
partners the ``traceparent`` header (``benefits_shared.partner_calls``). An outbox row
keeps its event's context in its ``traceparent`` column, so a context survives the
transaction and the relay.

- A journey starts where a registry record is read (:func:`new_trace`).
- A consumer opens one span per consumed record that carries a context
  (:func:`consuming`), a child of it; during the batch, :func:`cause_of` finds the span of
  the record that caused an outgoing event (by its Kafka key or its event id), and
  :func:`child_of` makes the outgoing event's context a child of it.
- Spans are exported by OTLP/HTTP when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set
  (:func:`configure`, the standard ``OTEL_*`` variables apply); otherwise no provider is
  installed, no span is recorded and a context passes through unchanged.

Span names and attributes hold topics, event types and partners: never a PIN, a phone or
a name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

#: The CloudEvents extension attribute (its Kafka header is ``ce_traceparent``).
TRACEPARENT = "traceparent"
HEADER = "ce_traceparent"
_propagator = TraceContextTextMapPropagator()
_tracer = trace.get_tracer("benefits_shared")
#: Within a batch: Kafka key or event id → the traceparent of its record's span.
_causes: ContextVar[Mapping[bytes | str, str] | None] = ContextVar("trace_causes", default=None)
#: The context a piece of work runs in, outside a batch (a worker's call to a partner).
_current: ContextVar[str | None] = ContextVar("trace_current", default=None)


def configure(service: str, endpoint: str | None) -> bool:
    """Install an OTLP/HTTP exporter to ``endpoint`` (the setting
    ``OTEL_EXPORTER_OTLP_ENDPOINT``) when it is set; whether it did."""
    if not endpoint:
        return False
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    traces = endpoint.rstrip("/") + "/v1/traces"  # what the exporter makes of the variable
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=traces)))
    trace.set_tracer_provider(provider)
    return True


def _context_of(traceparent: str | None) -> Any:
    return _propagator.extract({TRACEPARENT: traceparent}) if traceparent else None


def _traceparent(span: Span) -> str | None:
    carrier: dict[str, str] = {}
    _propagator.inject(carrier, context=trace.set_span_in_context(span))
    return carrier.get(TRACEPARENT)


def new_trace(name: str, **attributes: str) -> str | None:
    """A new journey's first span (ended at once); its traceparent, or None when off."""
    span = _tracer.start_span(name, kind=SpanKind.PRODUCER, attributes=attributes)
    span.end()
    return _traceparent(span)


def child_of(parent: str | None, name: str, **attributes: str) -> str | None:
    """A span under ``parent`` (ended at once); its traceparent. Off: ``parent`` itself."""
    if parent is None:
        return None
    span = _tracer.start_span(
        name, context=_context_of(parent), kind=SpanKind.PRODUCER, attributes=attributes
    )
    span.end()
    return _traceparent(span) or parent


def of_headers(headers: Sequence[tuple[str, bytes]] | None) -> str | None:
    for key, value in headers or ():
        if key == HEADER and value:
            return value.decode("latin-1")
    return None


@contextlib.contextmanager
def consuming(group: str, records: Sequence[Any]) -> Iterator[None]:
    """One span per record with a context, open while its batch is handled."""
    spans: list[Span] = []
    causes: dict[bytes | str, str] = {}
    for record in records:
        parent = of_headers(record.headers)
        if parent is None:
            continue
        span = _tracer.start_span(
            f"{record.topic} process",
            context=_context_of(parent),
            kind=SpanKind.CONSUMER,
            attributes={"messaging.destination.name": record.topic, "consumer.group": group},
        )
        spans.append(span)
        traceparent = _traceparent(span) or parent
        if record.key is not None:
            causes[record.key] = traceparent
        for key, value in record.headers or ():
            if key == "ce_id":
                causes[value.decode("latin-1")] = traceparent
    token = _causes.set(causes)
    try:
        yield
    finally:
        _causes.reset(token)
        for span in spans:
            span.end()


def cause_of(*keys: bytes | str | None) -> str | None:
    """The traceparent of the batch's record with one of these keys or event ids."""
    causes = _causes.get() or {}
    for key in keys:
        if key is not None and key in causes:
            return causes[key]
    return _current.get()


@contextlib.contextmanager
def within(traceparent: str | None) -> Iterator[None]:
    """Work done for one journey outside a batch (a stored notice sent, a payment made)."""
    token = _current.set(traceparent)
    try:
        yield
    finally:
        _current.reset(token)


@contextlib.contextmanager
def client_span(name: str, partner: str) -> Iterator[str | None]:
    """A client span under the current journey, if any; yields the traceparent to send."""
    parent = _current.get()
    if parent is None:
        yield None
        return
    with _tracer.start_as_current_span(
        name, context=_context_of(parent), kind=SpanKind.CLIENT, attributes={"peer": partner}
    ) as span:
        yield _traceparent(span) or parent
