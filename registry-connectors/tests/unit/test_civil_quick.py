"""The quick reader of births and deaths (ADR 32) against the full one: it never accepts a
record the full reader refuses, and what it accepts becomes the same Kafka record, byte for
byte, whatever the record's texts, days, offsets and parents."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from benefits_shared.pin import PinHasher
from civil_samples import birth, cancellation, correction, death
from hostile_strategies import NASTY_CHARACTERS, damaged, json_values
from hypothesis import example, given
from hypothesis import strategies as st
from registry_connectors import civil_feed
from registry_connectors.bench import births, pin_number
from registry_connectors.civil_feed import CE_SOURCE, Page, PagePlanner
from registry_connectors.civil_quick import quick_read
from registry_connectors.civil_records import read_record
from registry_connectors.raw_fields import Malformed

TOPIC = "life-events"
SUBJECT = "0123456789abcdef0123456789abcdef"
AT = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)

pins = st.integers(0, 34**7 - 1).map(pin_number)
# every character JSON can carry but those check_record refuses (NUL, unpaired surrogates):
# control characters, separators such as U+2028, quotes, backslashes, emoji
names = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        st.sampled_from([c for c in NASTY_CHARACTERS if c not in "\x00\ud800\udfff"]),
        st.sampled_from(["\u2028", "\x1f", "\x7f", "\\", "/", "\U0001f600"]),
    ),
    min_size=1,
    max_size=12,
)
days = st.dates(date(1900, 1, 1), date(2099, 12, 31)).map(date.isoformat)
offsets = st.integers(-12 * 60, 14 * 60).map(lambda m: timedelta(minutes=m))
instants = st.builds(
    lambda day, seconds, offset: (
        (datetime.combine(day, datetime.min.time()) + timedelta(seconds=seconds))
        .replace(tzinfo=timezone(offset))
        .isoformat()
    ),
    st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    st.integers(0, 86_399),
    offsets,
)
optional_pins = st.one_of(st.none(), pins, st.just("absent"))
record_numbers = names.filter(str.isprintable).map(lambda s: s[:64])


def _set(record: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    if value == "absent":
        record.pop(name, None)
    else:
        record[name] = value
    return record


@st.composite
def valid_births(draw: st.DrawFn) -> dict[str, Any]:
    child = {
        "pin": draw(pins),
        "given_name": draw(names),
        "surname": draw(names),
        "birth_date": draw(days),
        "sex": draw(st.sampled_from(["F", "M"])),
    }
    record = birth(
        seq=draw(st.integers(0, 2**63 - 1)),
        record_no=draw(record_numbers),
        registered_at=draw(instants),
        office=draw(names),
        child=child,
    )
    _set(record, "mother_pin", draw(optional_pins))
    return _set(record, "father_pin", draw(optional_pins))


@st.composite
def valid_deaths(draw: st.DrawFn) -> dict[str, Any]:
    record = death(
        seq=draw(st.integers(0, 2**63 - 1)),
        record_no=draw(record_numbers),
        registered_at=draw(instants),
        office=draw(names),
        deceased_pin=draw(pins),
        death_date=draw(days),
    )
    return _set(record, "informant_pin", draw(optional_pins))


def assert_same_as_the_full_reader(raw: Any) -> bool:
    """True if the quick reader took the record; then the full reader made the same."""
    quick = quick_read(raw)
    if quick is None:
        return False
    full = read_record(raw)  # raises Malformed if the quick reader accepted a bad record
    assert (quick.record_no, quick.subject_pin, quick.refers_to) == (
        full.record_no,
        full.subject_pin,
        full.refers_to,
    )
    assert quick.message(TOPIC, CE_SOURCE, SUBJECT) == full.message(TOPIC, CE_SOURCE, SUBJECT)
    return True


@given(st.one_of(valid_births(), valid_deaths()))
@example(birth(registered_at="2026-03-02T10:15:00+00:00"))  # the contract writes "Z"
@example(birth(registered_at="2026-03-02T10:15:00.5+04:00"))
@example(birth(registered_at="2026-03-02 10:15:00+04:00"))
def test_a_valid_birth_or_death_is_taken_quickly_and_sent_as_the_full_reader_sends_it(
    raw: dict[str, Any],
) -> None:
    at = raw["registered_at"]
    usual = len(at) == 25 and at[10] == "T" and not at.endswith(("+00:00", "-00:00"))
    assert assert_same_as_the_full_reader(raw) is usual  # any other form: the full reader


@given(
    st.one_of(
        json_values,
        *(damaged(sample()) for sample in (birth, death, cancellation, correction)),
        damaged(birth(mother_pin="", father_pin="5XH81PQ")),
    )
)
@example(birth(mother_pin=""))  # the full reader takes "" as absent: left to it
@example(birth(child={**birth()["child"], "given_name": "a\x00"}))
@example(birth(office="x" * 40_000))
@example(birth(seq=True))
@example(birth(seq=2**63))
@example(birth(registered_at="2026-03-02T10:15:00"))
@example(birth(registered_at="2026-02-30T10:15:00+04:00"))
@example(death(death_date="2026-02-30"))
@example(birth(child={**birth()["child"], "birth_date": "2026-02-30"}))
@example(birth(child={**birth()["child"], "sex": "X"}))
@example(birth(extra={"deep": {"deeper": "\ud800"}}))
def test_the_quick_reader_never_takes_what_the_full_reader_refuses(raw: Any) -> None:
    try:
        assert_same_as_the_full_reader(raw)
    except Malformed as exc:
        pytest.fail(f"taken quickly, refused by the full reader: {exc.defect.reason}")


@pytest.mark.parametrize(
    ("raw", "taken"),
    [
        (birth(), True),
        (death(), True),
        (next(births(1)), True),
        (death(informant_pin=None), True),
        (cancellation(), False),
        (correction(), False),
        (birth(mother_pin=""), False),
        (birth(note="an unknown field"), False),
    ],
)
def test_which_records_are_taken_quickly(raw: dict[str, Any], taken: bool) -> None:
    assert assert_same_as_the_full_reader(raw) is taken


@given(
    st.lists(
        st.one_of(valid_births(), valid_deaths(), damaged(birth()), damaged(death())),
        max_size=8,
    )
)
def test_a_page_plans_the_same_with_and_without_the_quick_reader(
    page: list[Any],
) -> None:
    planner = PagePlanner(PinHasher("unit-test-key"), TOPIC)
    quick = planner.plan(Page(page, 0), 0, {}, AT)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(civil_feed, "quick_read", lambda raw: None)
        full = planner.plan(Page(page, 0), 0, {}, AT)
    assert quick == full
