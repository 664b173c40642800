"""The journal survives a restart; faults and settings come from the environment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sms_simulator.config import FaultSettings, SimulatorSettings
from sms_simulator.faults import Faults


async def test_every_accepted_message_is_a_line_of_the_journal(
    start_sim: Any, tmp_path: Path
) -> None:
    journal = tmp_path / "sms" / "journal.jsonl"
    sim = await start_sim(SimulatorSettings(sms_sim_journal=journal))
    await sim.send("k1", text="Salam")
    await sim.send("k1", text="Salam")
    await sim.send("k2", text="Привет")
    lines = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert [(line["idempotency_key"], line["text"]) for line in lines] == [
        ("k1", "Salam"),
        ("k2", "Привет"),
    ]


async def test_a_restarted_simulator_replays_the_keys_it_answered(
    start_sim: Any, tmp_path: Path
) -> None:
    settings = SimulatorSettings(sms_sim_journal=tmp_path / "journal.jsonl")
    first = (await (await start_sim(settings)).send("k1", text="Salam")).json()
    restarted = await start_sim(settings)
    assert (await restarted.send("k1", text="Salam")).json() == first
    assert (await restarted.send("k1", text="Sağ olun")).status_code == 422
    assert len(await restarted.messages()) == 1


def test_faults_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMS_SIM_OUTAGE", "true")
    monkeypatch.setenv("SMS_SIM_SERVER_ERROR_RATE", "0.1")
    monkeypatch.setenv("SMS_SIM_RATE_LIMIT", "20")
    monkeypatch.setenv("SMS_SIM_TIMEOUT_MODE", "drop")
    faults = FaultSettings().faults()
    assert faults == Faults(outage=True, server_error_rate=0.1, rate_limit=20, timeout_mode="drop")


def test_the_simulator_binds_to_loopback_on_18082_unless_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SMS_SIM_PORT", raising=False)
    assert (SimulatorSettings().sms_sim_host, SimulatorSettings().sms_sim_port) == (
        "127.0.0.1",
        18082,
    )
    monkeypatch.setenv("SMS_SIM_PORT", "19555")
    assert SimulatorSettings().sms_sim_port == 19555
