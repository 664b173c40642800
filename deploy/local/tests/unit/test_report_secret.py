"""The main job gives the SMS simulator and the notifier one delivery-report secret (ADR 0017)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from benefits_shared.report_signature import DEV_SMS_REPORT_SECRET
from devstack.components import Dataset, plan
from devstack.layout import Layout

DATA = Dataset(persons=100, seed=3, start=date(2025, 11, 1), days=30)


def secrets_of(tmp_path: Path) -> dict[str, str]:
    components = plan(Layout(tmp_path), DATA).components
    return {c.name: c.env["SMS_REPORT_SECRET"] for c in components if "SMS_REPORT_SECRET" in c.env}


def test_the_sms_simulator_and_the_notifier_share_a_fresh_secret_per_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for variable in ("SMS_REPORT_SECRET", "SMS_GATEWAY_URL", "RUN_WITHOUT"):
        monkeypatch.delenv(variable, raising=False)
    first, second = secrets_of(tmp_path), secrets_of(tmp_path)
    assert set(first) == {"sms-simulator", "notifier"}
    assert len(set(first.values())) == 1
    assert first["notifier"] not in (DEV_SMS_REPORT_SECRET, second["notifier"])
    assert len(first["notifier"]) >= 32


def test_a_secret_set_for_a_real_gateway_is_the_one_the_notifier_gets(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SMS_REPORT_SECRET", "agreed-with-the-gateway-operator-0123456789")
    monkeypatch.setenv("SMS_GATEWAY_URL", "https://sms.example")
    assert secrets_of(tmp_path) == {"notifier": "agreed-with-the-gateway-operator-0123456789"}
