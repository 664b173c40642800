"""The ``dlq_*`` headers: written and read by one helper, tolerant of what is missing."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from benefits_shared.kafka.dead_letters import (
    DeadLetterHeaders,
    dead_letter_headers,
    without_dead_letter_headers,
)

AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_what_is_written_is_read_back() -> None:
    why = DeadLetterHeaders("bad", "contract", "life-events", "engine", AT, 2, 41)
    assert DeadLetterHeaders.decode(why.encode()) == why


def test_a_quarantined_record_has_no_position_but_says_where_it_came_from() -> None:
    extra = {"id": "q1", "source": "mse-drop", "file": "mse.csv", "line": "7"}
    why = DeadLetterHeaders("pin missing", "missing_field", "life-events", "rc", AT, extra=extra)
    names = [k for k, _ in why.encode()]
    assert "dlq_partition" not in names and "dlq_offset" not in names
    assert DeadLetterHeaders.decode(why.encode()).extra == extra


def test_a_long_reason_is_cut() -> None:
    encoded = dict(DeadLetterHeaders("x" * 5000, "k", "t", None, None).encode())
    assert len(encoded["dlq_reason"]) == 2000
    assert "dlq_group" not in encoded and "dlq_at" not in encoded


def test_missing_or_unreadable_headers_are_read_as_unknown() -> None:
    why = DeadLetterHeaders.decode([("dlq_offset", b"many"), ("dlq_at", b"yesterday")])
    assert (why.reason, why.kind, why.offset, why.at, why.group) == (
        "(no reason given)",
        "unknown",
        None,
        None,
        None,
    )


def test_a_consumed_record_keeps_its_own_headers_and_loses_older_dead_letter_ones() -> None:
    record = SimpleNamespace(
        topic="decisions",
        partition=1,
        offset=9,
        headers=[("ce_id", b"e1"), ("dlq_reason", b"an older death")],
    )
    headers = dead_letter_headers(record, "poison", "contract", "gateway")
    assert without_dead_letter_headers(headers) == [("ce_id", b"e1")]
    why = DeadLetterHeaders.decode(headers)
    assert (why.reason, why.topic, why.partition, why.offset) == ("poison", "decisions", 1, 9)
