from datetime import UTC, date, datetime, timedelta

import pytest
from benefits_shared.clock import BAKU, FixedClock, baku_date


def test_baku_date_is_four_hours_ahead_of_utc() -> None:
    assert baku_date(datetime(2026, 3, 1, 20, 30, tzinfo=UTC)) == date(2026, 3, 2)
    assert baku_date(datetime(2026, 3, 1, 19, 59, tzinfo=UTC)) == date(2026, 3, 1)


def test_fixed_clock_stands_still_until_moved() -> None:
    clock = FixedClock(datetime(2026, 1, 1, 21, 59, tzinfo=BAKU))
    assert clock.today() == date(2026, 1, 1)
    clock.advance(timedelta(hours=3))
    assert clock.today() == date(2026, 1, 2)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FixedClock(datetime(2026, 1, 1))
