import json

import pytest
from benefits_ops.errors import ActionRefused
from benefits_ops.projection import RawRecord
from benefits_ops.redrive import plan

HEADERS = (
    ("ce_id", b"orig-1"),
    ("ce_type", b"az.gov.benefits.birth-registered.v1"),
    ("dlq_reason", b"broken"),
    ("dlq_topic", b"life-events"),
)
RECORD = RawRecord("life-events.dlq", 0, 4, b"key", b'{"a": 1}', HEADERS)


def test_as_it_is_it_keeps_its_id_key_and_bytes_without_the_dlq_headers() -> None:
    sent = plan(7, "life-events", RECORD, None)
    assert (sent.topic, sent.key, sent.value, sent.ce_id, sent.fixed) == (
        "life-events",
        b"key",
        b'{"a": 1}',
        "orig-1",
        False,
    )
    assert [k for k, _ in sent.headers] == ["ce_id", "ce_type", "ops_redrive"]


def test_a_payload_equal_to_the_original_is_not_a_fix() -> None:
    assert plan(7, "life-events", RECORD, {"a": 1}).ce_id == "orig-1"


def test_a_fix_gets_a_new_id_that_the_same_fix_repeats() -> None:
    first = plan(7, "life-events", RECORD, {"a": 2})
    again = plan(7, "life-events", RECORD, {"a": 2})
    other = plan(7, "life-events", RECORD, {"a": 3})
    assert first.fixed and json.loads(first.value) == {"a": 2}
    assert first.ce_id == again.ce_id != "orig-1"
    assert other.ce_id != first.ce_id
    assert dict(first.headers)["ce_id"] == first.ce_id.encode()  # type: ignore[union-attr]


def test_a_fix_must_be_a_json_object() -> None:
    with pytest.raises(ActionRefused):
        plan(7, "life-events", RECORD, [1, 2])
