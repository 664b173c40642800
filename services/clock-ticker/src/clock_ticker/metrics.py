"""The clock ticker's Prometheus families (served on ``HEALTH_PORT``'s ``/metrics``)."""

from __future__ import annotations

from datetime import date

from prometheus_client import Counter, Gauge

TICKS = Counter("clock_ticks_published", "Day ticks published on clock-ticks.")
LAST_DAY = Gauge(
    "clock_last_tick_day_timestamp_seconds",
    "The Baku day of the last tick published, as the Unix time of its midnight UTC.",
)


def ticked(days: list[date]) -> None:
    if days:
        TICKS.inc(len(days))
        LAST_DAY.set((days[-1] - date(1970, 1, 1)).days * 86_400)
