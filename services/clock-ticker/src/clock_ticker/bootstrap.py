"""Wires the ticker from its settings."""

from __future__ import annotations

from datetime import datetime, time

from benefits_shared.clock import BAKU, Clock, FixedClock, SystemClock
from benefits_shared.health import HealthServer, kafka_answers, nothing_away
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.outages import OUTAGES

from clock_ticker.config import TickerSettings
from clock_ticker.ticker import Ticker


def clock_of(settings: TickerSettings) -> Clock:
    if settings.clock_today is None:
        return SystemClock()
    return FixedClock(datetime.combine(settings.clock_today, time(9), BAKU))


def build(settings: TickerSettings) -> Ticker:
    kafka = settings.kafka()
    return Ticker(
        idempotent_producer(kafka, "clock-ticker"),
        safe_consumer(kafka, None),
        settings.clock_topic,
        clock_of(settings),
        settings.clock_start,
        settings.clock_interval_s,
        member=safe_consumer(
            kafka,
            settings.clock_group,
            settings.clock_topic,
            session_timeout_ms=10_000,
            heartbeat_interval_ms=2_000,
        ),
    )


def probes(settings: TickerSettings, ticker: Ticker) -> list[HealthServer]:
    """``/healthz`` and ``/readyz`` (Kafka not away, answers) when ``HEALTH_PORT`` is set."""
    if settings.health_port is None:
        return []
    checks = [nothing_away(OUTAGES), kafka_answers(ticker.producer)]
    return [HealthServer(settings.health_host, settings.health_port, checks)]
