"""Quiet hours (docs/policy.md): no SMS is handed to the gateway between 22:00 and 09:00
Asia/Baku; those wait until 09:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from benefits_shared.clock import BAKU


@dataclass(frozen=True, slots=True)
class QuietHours:
    """``start`` inclusive to ``end`` exclusive, Baku wall time, across midnight."""

    start: time = time(22, 0)
    end: time = time(9, 0)

    def is_quiet(self, instant: datetime) -> bool:
        local = _baku(instant).time()
        return local >= self.start or local < self.end

    def next_send_time(self, instant: datetime) -> datetime:
        """``instant`` itself outside quiet hours, else the next ``end`` (in Baku time)."""
        local = _baku(instant)
        if not self.is_quiet(local):
            return local
        opening = datetime.combine(local.date(), self.end, tzinfo=BAKU)
        return opening if local.time() < self.end else opening + timedelta(days=1)


POLICY = QuietHours()


def is_quiet(instant: datetime) -> bool:
    return POLICY.is_quiet(instant)


def next_send_time(instant: datetime) -> datetime:
    return POLICY.next_send_time(instant)


def _baku(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("quiet hours need a timezone-aware instant")
    return instant.astimezone(BAKU)
