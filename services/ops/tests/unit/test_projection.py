from datetime import UTC, date, datetime

from benefits_ops.pin_redaction import PinRedactor
from benefits_ops.projection import DeadLetterRow, EventRow, RawRecord, area_of, project
from benefits_shared.contracts.clock import DayStarted
from benefits_shared.pin import PinHasher

HASHER = PinHasher("test-key")
REDACTOR = PinRedactor(HASHER)


def test_namespaced_topics_map_to_their_catalog_area() -> None:
    assert area_of("life-events-ab12cd34") == "life-events"
    assert area_of("benefit-decisions.dlq") == "benefit-decisions"
    assert area_of("something-else") == "something-else"


def test_an_event_keeps_its_envelope_and_a_redacted_payload() -> None:
    event = DayStarted(day=date(2026, 3, 1)).to_cloudevent("t", datetime.now(UTC), None)
    row = project(
        RawRecord("clock-ticks-x", 0, 5, None, event.value(), tuple(event.headers())), REDACTOR
    )
    assert isinstance(row, EventRow)
    assert (row.kind, row.ce_id, row.payload) == ("clock-ticks", event.id, {"day": "2026-03-01"})


def test_a_record_without_an_envelope_is_kept_as_unreadable() -> None:
    key = HASHER.kafka_key("7CD9P3Q")
    row = project(RawRecord("life-events", 1, 9, key, b"not json", ()), REDACTOR)
    assert isinstance(row, EventRow)
    assert row.kind == "unreadable" and row.payload is None
    assert row.pin_hashes == (HASHER.digest("7CD9P3Q"),)


def test_an_unknown_type_is_kept_with_its_payload() -> None:
    headers = (
        ("ce_specversion", b"1.0"),
        ("ce_id", b"x-1"),
        ("ce_source", b"t"),
        ("ce_type", b"az.gov.benefits.something-new.v1"),
        ("ce_time", b"2026-03-01T10:00:00+00:00"),
    )
    row = project(
        RawRecord("payments", 0, 1, None, b'{"holder_pin": "5AB7K2M"}', headers), REDACTOR
    )
    assert isinstance(row, EventRow)
    assert row.ce_type == "az.gov.benefits.something-new.v1"
    assert row.payload == {"holder_pin": "#" + HASHER.digest("5AB7K2M")}


def test_a_dead_letter_says_where_it_came_from_and_why() -> None:
    headers = (
        ("ce_id", b"x-2"),
        ("dlq_reason", b"broken"),
        ("dlq_kind", b"contract"),
        ("dlq_topic", b"life-events-ns"),
        ("dlq_partition", b"2"),
        ("dlq_offset", b"17"),
        ("dlq_group", b"eligibility-engine"),
        ("dlq_at", b"2026-03-01T10:00:00+00:00"),
    )
    row = project(
        RawRecord("life-events-ns.dlq", 0, 3, None, b'{"pin": "5AB7K2M"}', headers), REDACTOR
    )
    assert isinstance(row, DeadLetterRow)
    assert (row.origin_topic, row.origin_partition, row.origin_offset) == ("life-events-ns", 2, 17)
    assert (row.reason, row.kind, row.consumer_group, row.ce_id) == (
        "broken",
        "contract",
        "eligibility-engine",
        "x-2",
    )
    assert row.pin_hashes == (HASHER.digest("5AB7K2M"),)


def test_an_event_keeps_the_trace_id_of_its_journey() -> None:
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    event = DayStarted(day=date(2026, 3, 1)).to_cloudevent("t", datetime.now(UTC), None)
    headers = (*event.headers(), ("ce_traceparent", f"00-{trace}-00f067aa0ba902b7-01".encode()))
    row = project(RawRecord("clock-ticks", 0, 6, None, event.value(), headers), REDACTOR)
    assert isinstance(row, EventRow) and row.trace_id == trace
    untraced = project(
        RawRecord("clock-ticks", 0, 7, None, event.value(), tuple(event.headers())), REDACTOR
    )
    assert isinstance(untraced, EventRow) and untraced.trace_id is None
