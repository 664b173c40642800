"""Which days still need a tick: pure."""

from __future__ import annotations

from datetime import date, timedelta


def days_to_tick(last_ticked: date | None, start: date, today: date) -> list[date]:
    """Every day after ``last_ticked`` (or from ``start``) up to ``today``, in order."""
    first = last_ticked + timedelta(days=1) if last_ticked else start
    return [first + timedelta(days=n) for n in range((today - first).days + 1)]
