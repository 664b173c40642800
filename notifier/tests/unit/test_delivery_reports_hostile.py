"""Property: whatever is POSTed as a delivery report, it is taken only when the gateway
signed it, and then it is a report the notifier can store or a ``MalformedReport`` with
the field at fault — never another exception (ADR 0017)."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from benefits_shared.report_signature import sign
from hypothesis import example, given
from hypothesis import strategies as st
from notifier.entrypoints.delivery_reports import DeliveryReport, read_report
from notifier.errors import MalformedReport, UnsignedReport

SECRET = "the-gateways-report-secret-0123456789"
NASTY = st.text(st.one_of(st.characters(), st.sampled_from(["\x00", "\ud800", "\u202e", " "])))
values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), NASTY, st.lists(st.integers())
)
reports = st.fixed_dictionaries(
    {},
    optional={
        "message_id": st.one_of(NASTY, st.sampled_from(["m-1", " 0x1F2e ", "1" * 129]), values),
        "status": st.one_of(st.sampled_from(["DELIVERED", "FAILED", "EXPIRED", "READ"]), values),
        "error": st.one_of(st.none(), NASTY, values),
        "at": st.one_of(
            st.sampled_from(["2026-03-02T10:00:05+04:00", "2026-03-02T10:00:05", "2026-02-31"]),
            values,
        ),
    },
)


def storable(report: DeliveryReport) -> None:
    for text in (report.message_id.strip(), report.error or ""):
        text.encode("utf-8")  # no unpaired surrogate
        assert "\x00" not in text
    assert report.message_id.strip().isascii()


@given(reports)
@example(
    {
        "message_id": "m-1",
        "status": "FAILED",
        "error": "a\x00b\ud800",
        "at": "2026-03-02T10:00:05+04:00",
    }
)
def test_a_signed_body_is_a_storable_report_or_malformed(report: dict[str, Any]) -> None:
    body = json.dumps(report).encode()
    with contextlib.suppress(MalformedReport):
        storable(read_report(body, sign(SECRET, body), SECRET))


@given(st.binary(max_size=300))
def test_signed_bytes_of_any_kind_are_a_report_or_malformed(body: bytes) -> None:
    with contextlib.suppress(MalformedReport):
        storable(read_report(body, sign(SECRET, body), SECRET))


@given(st.binary(max_size=300), st.one_of(st.none(), st.text(max_size=80)))
def test_nothing_is_read_without_the_gateways_signature(body: bytes, header: str | None) -> None:
    with pytest.raises(UnsignedReport):
        read_report(body, header, SECRET)


def test_a_signature_with_another_secret_is_refused() -> None:
    body = b'{"message_id": "m-1", "status": "DELIVERED", "at": "2026-03-02T10:00:05+04:00"}'
    with pytest.raises(UnsignedReport):
        read_report(body, sign("somebody-elses-secret", body), SECRET)
    assert read_report(body, sign(SECRET, body), SECRET).status == "DELIVERED"
