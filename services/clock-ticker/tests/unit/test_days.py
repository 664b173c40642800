from datetime import date

from clock_ticker.days import days_to_tick


def test_the_first_start_ticks_from_the_start_day_to_today() -> None:
    days = days_to_tick(None, date(2026, 2, 27), date(2026, 3, 1))
    assert days == [date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 1)]


def test_a_restart_ticks_only_the_days_after_the_last_tick() -> None:
    assert days_to_tick(date(2026, 3, 1), date(2026, 1, 1), date(2026, 3, 2)) == [date(2026, 3, 2)]


def test_nothing_is_ticked_twice_on_the_same_day() -> None:
    assert days_to_tick(date(2026, 3, 2), date(2026, 1, 1), date(2026, 3, 2)) == []
