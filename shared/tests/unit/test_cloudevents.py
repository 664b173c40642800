from datetime import UTC, datetime

import pytest
from benefits_shared.cloudevents import (
    CloudEvent,
    InvalidEnvelopeError,
    decode,
    deterministic_id,
    event_type,
)


def test_the_same_business_identity_gives_the_same_id() -> None:
    assert deterministic_id("birth", "B-1") == deterministic_id("birth", "B-1")
    assert deterministic_id("birth", "B-1") != deterministic_id("birth", "B-2")
    assert deterministic_id("a", "bc") != deterministic_id("ab", "c")


def test_an_event_survives_the_binary_mode_round_trip() -> None:
    event = CloudEvent(
        id="1",
        source="/test",
        type=event_type("thing-happened"),
        time=datetime(2026, 3, 2, 10, 15, tzinfo=UTC),
        data={"name": "Aysel Məmmədova"},
        subject="abc",
    )
    back = decode(event.headers(), event.value())
    assert back == event
    assert back.type == "az.gov.benefits.thing-happened.v1"


def test_a_record_without_ce_headers_is_not_an_event() -> None:
    with pytest.raises(InvalidEnvelopeError, match="missing CloudEvents headers"):
        decode([("content-type", b"application/json")], b"{}")


def test_a_non_object_payload_is_not_an_event() -> None:
    event = CloudEvent("1", "/t", "t", datetime(2026, 1, 1, tzinfo=UTC), {})
    with pytest.raises(InvalidEnvelopeError):
        decode(event.headers(), b"[1, 2]")
    with pytest.raises(InvalidEnvelopeError):
        decode(event.headers(), b"{not json")
