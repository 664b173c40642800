"""The ticker's settings (environment variables)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from benefits_shared.settings import CommonSettings
from benefits_shared.topics import CLOCK_TICKS


class TickerSettings(CommonSettings):
    USES_DATABASE: ClassVar[bool] = False  # it keeps no table

    clock_start: date | None = None
    clock_today: date | None = None
    clock_interval_s: float = 60.0
    clock_topic: str = CLOCK_TICKS.name
    # Of several tickers, the one its group assigns the topic's one partition ticks.
    clock_group: str = "clock-ticker"
