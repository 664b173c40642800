"""``clock-ticks``: one tick per Asia/Baku day, so time-based rules are replayable."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from benefits_shared.contracts.base import Contract
from benefits_shared.topics import CLOCK_TICKS


class DayStarted(Contract):
    NAME: ClassVar[str] = "day-started"
    TOPIC: ClassVar[str] = CLOCK_TICKS.name

    day: date

    def identity(self) -> tuple[str, ...]:
        return (self.day.isoformat(),)
