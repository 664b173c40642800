"""Property: whatever the civil feed sends, each record ends as one event, one dead letter
with its reason, or a known re-delivery; nothing raises, and everything made can be sent
to Kafka and stored in PostgreSQL (ADR 0017)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from benefits_shared.pin import PinHasher
from civil_samples import birth, cancellation, correction, death
from hostile_strategies import damaged, deep, json_values
from hypothesis import example, given, settings
from hypothesis import strategies as st
from registry_connectors.civil_feed import Page, PagePlan, PagePlanner, referenced_numbers
from registry_connectors.outgoing import Outgoing
from registry_connectors.raw_fields import Malformed
from registry_connectors.untrusted_json import _check, encoded_size_bound, raw_json

TOPIC = "life-events"
PLANNER = PagePlanner(PinHasher("unit-test-key"), TOPIC)
AT = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
KAFKA_MAX_BYTES = 1024 * 1024
BIGINT = 2**63 - 1
PIN_SHAPED = re.compile(r"[0-9A-HJ-NP-Z]{7}")

records = st.one_of(
    json_values,
    *(damaged(sample()) for sample in (birth, death, cancellation, correction)),
    st.sampled_from([birth(), death(), cancellation(), correction()]),
)


def assert_sendable_and_storable(message: Outgoing) -> None:
    assert len(message.value) + sum(len(v) for _, v in message.headers) < KAFKA_MAX_BYTES
    for _, value in message.headers:
        value.decode("utf-8")  # a header is text
    if "dlq_truncated_from" in dict(message.headers):
        return  # the first bytes of a record too large to send (its hash in a header)
    body = message.value.decode("utf-8")
    assert "\x00" not in body or message.topic.endswith(".dlq")
    json.loads(body)


def quarantine_reasons(plan: PagePlan) -> list[str]:
    return [
        dict(m.headers)["dlq_reason"].decode() for m in plan.messages if m.topic.endswith(".dlq")
    ]


@settings(max_examples=max(10, settings.default.max_examples // 2))  # pages of records
@given(st.lists(records, max_size=6), st.integers(0, BIGINT))
@example([{"record_no": "\ud800", "kind": "BIRTH"}], 0)  # crashed: UnicodeEncodeError
@example([birth(office="\udfff")], 0)  # crashed: UnicodeEncodeError
@example([birth(record_no="B" * 65)], 0)  # crashed: too long for civil_records.record_no
def test_every_record_ends_as_an_event_a_dead_letter_or_a_redelivery(
    page: list[Any], last_seq: int
) -> None:
    plan = PLANNER.plan(Page(page, last_seq), 0, {}, AT)
    assert plan.published + plan.quarantined + plan.redelivered == len(page)
    assert len(plan.messages) == plan.published + plan.quarantined
    for message in plan.messages:
        assert_sendable_and_storable(message)
    assert all(0 < len(number) <= 64 for number in plan.remember)
    assert 0 <= plan.cursor <= BIGINT


@settings(max_examples=max(10, settings.default.max_examples // 2))
@given(st.lists(records, max_size=6))
def test_the_numbers_looked_up_can_be_query_parameters(page: list[Any]) -> None:
    for number in referenced_numbers(page):
        assert 0 < len(number) <= 64
        number.encode("utf-8")
        assert "\x00" not in number


@given(damaged(birth()))
def test_a_dead_letters_reason_never_quotes_a_pin(record: Any) -> None:
    plan = PLANNER.plan(Page([record], 0), 0, {}, AT)
    for reason in quarantine_reasons(plan):
        assert not PIN_SHAPED.search(reason.replace("YYYY-MM-DD", ""))


def test_a_record_nested_deeper_than_json_allows_python_is_quarantined() -> None:
    changes: Any = "x"
    for _ in range(50):
        changes = {"mother": changes}
    plan = PLANNER.plan(Page([correction(changes=changes)], 1045), 0, {}, AT)
    assert (plan.published, plan.quarantined) == (0, 1)
    assert quarantine_reasons(plan) == ["the record is nested deeper than 8 levels"]


def test_a_huge_record_is_quarantined_and_its_dead_letter_still_fits_kafka() -> None:
    plan = PLANNER.plan(Page([birth(office="ə" * 600_000)], 1042), 0, {}, AT)
    [dead] = plan.messages
    headers = {k: v.decode() for k, v in dead.headers}
    assert headers["dlq_kind"] == "too_large"
    assert int(headers["dlq_truncated_from"]) > len(dead.value) == 256 * 1024
    assert len(headers["dlq_sha256"]) == 64


@given(st.one_of(json_values, *(damaged(sample()) for sample in (birth, death, correction))))
@example(deep(8))
@example(deep(9))
@example({"a\x00": 1})
@example(["\x1f" * 40])
def test_the_quick_check_of_a_record_says_what_the_full_walk_says(value: Any) -> None:
    """``check_record`` walks a record once without naming fields and bounds its size: it
    must refuse exactly what the walk that names the field refuses, and never bound a
    record's size below its real one."""
    bound = encoded_size_bound(value, 1)
    try:
        _check(value, "", 1)
    except Malformed:
        assert bound is None
    else:
        assert bound is not None
        assert bound >= len(raw_json(value))
