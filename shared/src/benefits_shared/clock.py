"""Time in Asia/Baku. Every date in the engine is a Baku calendar date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

BAKU = ZoneInfo("Asia/Baku")


class Clock(Protocol):
    """The port every service reads the time through."""

    def now(self) -> datetime:
        """The current instant, timezone-aware, in Asia/Baku."""
        ...

    def today(self) -> date:
        """Today's Asia/Baku calendar date."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(BAKU)

    def today(self) -> date:
        return self.now().date()


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at.astimezone(BAKU)

    def now(self) -> datetime:
        return self._at

    def today(self) -> date:
        return self._at.date()

    def advance(self, by: timedelta) -> None:
        self._at = self._at + by

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at.astimezone(BAKU)


def baku_date(instant: datetime) -> date:
    """The Asia/Baku calendar date of an aware instant."""
    if instant.tzinfo is None:
        raise ValueError("a naive datetime has no Baku date")
    return instant.astimezone(BAKU).date()
