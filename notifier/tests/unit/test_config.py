"""``NOTIFIER_FIXED_TIME`` pins the clock; without it the notifier reads the system's."""

from __future__ import annotations

from datetime import datetime

import pytest
from benefits_shared.clock import BAKU, SystemClock
from notifier.bootstrap import clock_of
from notifier.config import NotifierSettings


def test_a_fixed_time_pins_the_clock_and_a_naive_one_is_baku_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NOTIFIER_FIXED_TIME", "2026-03-02T23:30:00")
    clock = clock_of(NotifierSettings())
    assert clock.now() == datetime(2026, 3, 2, 23, 30, tzinfo=BAKU)


def test_without_a_fixed_time_the_clock_is_the_system_s(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFIER_FIXED_TIME", raising=False)
    assert isinstance(clock_of(NotifierSettings()), SystemClock)


def test_the_callback_url_defaults_to_the_notifier_s_own_endpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NOTIFIER_HTTP_PORT", "18123")
    assert NotifierSettings().callback_url == "http://127.0.0.1:18123/v1/delivery-reports"
