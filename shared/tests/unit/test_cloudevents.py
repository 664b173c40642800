import uuid
from datetime import UTC, datetime

import pytest
from benefits_shared.cloudevents import (
    NAMESPACE,
    CloudEvent,
    InvalidEnvelopeError,
    decode,
    deterministic_id,
    deterministic_id_text,
    event_type,
)
from benefits_shared.contracts.life_events import BirthRegistered, Child, RecordCorrected
from hypothesis import given
from hypothesis import strategies as st


def test_the_same_business_identity_gives_the_same_id() -> None:
    assert deterministic_id("birth", "B-1") == deterministic_id("birth", "B-1")
    assert deterministic_id("birth", "B-1") != deterministic_id("birth", "B-2")
    assert deterministic_id("a", "bc") != deterministic_id("ab", "c")


@given(st.lists(st.text(min_size=1), min_size=1, max_size=5))
def test_an_id_written_out_directly_is_the_uuid5_of_its_parts(parts: list[str]) -> None:
    text = deterministic_id_text(*parts)
    assert text == str(deterministic_id(*parts))
    assert text == str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))
    assert uuid.UUID(text).version == 5


@pytest.mark.parametrize("parts", [(), ("birth", ""), ("",)])
def test_an_id_needs_non_empty_parts(parts: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="non-empty parts"):
        deterministic_id_text(*parts)
    with pytest.raises(ValueError, match="non-empty parts"):
        deterministic_id(*parts)


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


_json_without_floats = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(
    st.text(),
    st.text(),
    st.datetimes(timezones=st.just(UTC)),
    st.dictionaries(st.text(), _json_without_floats, max_size=4),
)
def test_a_payload_written_from_its_model_is_its_cloudevents_value_byte_for_byte(
    name: str, office: str, at: datetime, changes: dict[str, object]
) -> None:
    """``kafka_value`` and ``envelope`` (the connectors' fast path) make the very record
    ``to_cloudevent`` makes: the same headers, the same value text."""
    child = Child(pin="1234567", given_name=name, surname=name, birth_date=at.date(), sex="F")
    birth = BirthRegistered(record_no="B-1", seq=1, registered_at=at, office=office, child=child)
    correction = RecordCorrected(
        record_no="C-1", seq=2, registered_at=at, corrects="B-1", changes=changes
    )
    for payload in (birth, correction):
        full = payload.to_cloudevent("/test", at, "subject")
        assert payload.kafka_value() == full.value()
        assert payload.envelope("/test", at, "subject").headers() == full.headers()
