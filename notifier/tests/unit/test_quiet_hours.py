"""No SMS between 22:00 and 09:00 Asia/Baku; those wait until 09:00."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from benefits_shared.clock import BAKU
from hypothesis import given
from hypothesis import strategies as st
from notifier.quiet_hours import is_quiet, next_send_time


def baku(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, second, tzinfo=BAKU)


@pytest.mark.parametrize(
    ("instant", "quiet"),
    [
        (baku(2, 21, 59, 59), False),
        (baku(2, 22, 0), True),
        (baku(2, 23, 30), True),
        (baku(3, 0, 0), True),
        (baku(3, 8, 59, 59), True),
        (baku(3, 9, 0), False),
        (baku(3, 14, 0), False),
    ],
)
def test_quiet_from_22_00_until_09_00_baku(instant: datetime, quiet: bool) -> None:
    assert is_quiet(instant) is quiet


def test_an_evening_notice_waits_for_nine_the_next_morning() -> None:
    assert next_send_time(baku(2, 23, 30)) == baku(3, 9, 0)


def test_a_night_notice_waits_for_nine_the_same_morning() -> None:
    assert next_send_time(baku(3, 3, 15)) == baku(3, 9, 0)


def test_a_daytime_notice_goes_at_once() -> None:
    assert next_send_time(baku(3, 14, 5)) == baku(3, 14, 5)


def test_the_quiet_hours_are_baku_time_whatever_the_instant_s_zone() -> None:
    # 18:30 UTC is 22:30 in Baku (UTC+4): quiet, until 09:00 Baku = 05:00 UTC.
    evening_utc = datetime(2026, 3, 2, 18, 30, tzinfo=UTC)
    assert is_quiet(evening_utc)
    assert next_send_time(evening_utc) == datetime(2026, 3, 3, 5, 0, tzinfo=UTC)


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        is_quiet(datetime(2026, 3, 2, 12, 0))


instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


@given(instants)
def test_the_send_time_is_the_first_moment_outside_quiet_hours(instant: datetime) -> None:
    send = next_send_time(instant)
    assert send >= instant
    assert not is_quiet(send)
    if send > instant:
        # It waited: from the instant until just before the send time it was all quiet,
        # which never lasts more than 11 hours, and the wait ends at 09:00 sharp.
        assert send - instant <= timedelta(hours=11)
        assert is_quiet(send - timedelta(microseconds=1))
        assert send.astimezone(BAKU).time().isoformat() == "09:00:00"
