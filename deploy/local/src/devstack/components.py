"""The processes of the main job: simulators for the endpoints that are not set, and every
service, each with its environment. Every one runs as ``python -m <package>``."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from devstack.layout import Layout

BANK_SIM_PORT, SMS_SIM_PORT = 18081, 18082
CIVIL_SIM_PORT, POPULATION_SIM_PORT = 18083, 18084
NOTIFIER_PORT = 18090


@dataclass(frozen=True)
class Dataset:
    persons: int
    seed: int
    start: date
    days: int

    @property
    def name(self) -> str:
        return f"p{self.persons}-s{self.seed}-{self.start:%Y%m%d}-d{self.days}"

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days - 1)


@dataclass(frozen=True)
class Component:
    name: str
    module: str
    env: dict[str, str] = field(default_factory=dict)
    args: tuple[str, ...] = ()
    simulator: bool = False

    def argv(self) -> list[str]:
        return [sys.executable, "-m", self.module, *self.args]


@dataclass(frozen=True)
class Plan:
    """What runs, and the endpoints the services are pointed at."""

    components: list[Component]
    endpoints: dict[str, str]
    run_dir: Path


def plan(layout: Layout, data: Dataset) -> Plan:
    run_dir = layout.state / "run" / data.name
    endpoints = {
        "CIVIL_REGISTRY_URL": os.environ.get("CIVIL_REGISTRY_URL")
        or f"http://127.0.0.1:{CIVIL_SIM_PORT}",
        "POPULATION_REGISTRY_URL": os.environ.get("POPULATION_REGISTRY_URL")
        or f"http://127.0.0.1:{POPULATION_SIM_PORT}",
        "MSE_DROP_DIR": os.environ.get("MSE_DROP_DIR") or str(run_dir / "mse-drop"),
        "BANK_API_URL": os.environ.get("BANK_API_URL") or f"http://127.0.0.1:{BANK_SIM_PORT}",
        "SMS_GATEWAY_URL": os.environ.get("SMS_GATEWAY_URL") or f"http://127.0.0.1:{SMS_SIM_PORT}",
    }
    sims = _simulators(run_dir, data)
    wanted = [s for s in sims if any(not os.environ.get(v) for v in _SIMULATES[s.name])]
    services = [
        Component("connectors", "registry_connectors", dict(endpoints)),
        Component("clock-ticker", "clock_ticker", {"CLOCK_START": data.start.isoformat()}),
        Component("engine", "eligibility_engine"),
        Component("bank-gateway", "bank_gateway", {"BANK_API_URL": endpoints["BANK_API_URL"]}),
        Component(
            "notifier",
            "notifier",
            {
                "SMS_GATEWAY_URL": endpoints["SMS_GATEWAY_URL"],
                "NOTIFIER_HTTP_PORT": str(NOTIFIER_PORT),
            },
        ),
    ]
    # RUN_WITHOUT=engine,notifier: run those yourself (in a debugger, say).
    skipped = set(filter(None, os.environ.get("RUN_WITHOUT", "").split(",")))
    return Plan([c for c in wanted + services if c.name not in skipped], endpoints, run_dir)


_SIMULATES = {
    "registry-simulators": ("CIVIL_REGISTRY_URL", "POPULATION_REGISTRY_URL"),
    "mse-commission": ("MSE_DROP_DIR",),
    "bank-simulator": ("BANK_API_URL",),
    "sms-simulator": ("SMS_GATEWAY_URL",),
}


def _simulators(run_dir: Path, data: Dataset) -> list[Component]:
    dataset = run_dir / "registries"
    generator = (
        "--persons",
        str(data.persons),
        "--seed",
        str(data.seed),
        "--start",
        data.start.isoformat(),
        "--days",
        str(data.days),
        "--out",
        str(dataset),
    )
    return [
        Component(
            "registry-simulators",
            "registry_simulators",
            {
                "REGISTRY_SIM_DATA_DIR": str(dataset),
                "REGISTRY_SIM_SEED": str(data.seed),
                "POPULATION_SIM_RATE_LIMIT": "0",
            },
            simulator=True,
        ),
        Component(
            "mse-commission",
            "registry_simulators.population",
            {},
            (
                *generator,
                "--mse-drop-dir",
                str(run_dir / "mse-drop"),
                "--drop-interval",
                "0.05",
            ),
            simulator=True,
        ),
        Component(
            "bank-simulator",
            "bank_simulator",
            {
                "BANK_SIM_PORT": str(BANK_SIM_PORT),
                "BANK_SIM_LEDGER_PATH": str(run_dir / "bank-ledger.jsonl"),
                "BANK_SIM_SETTLEMENT_DELAY_SECONDS": "1",
            },
            simulator=True,
        ),
        Component(
            "sms-simulator",
            "sms_simulator",
            {
                "SMS_SIM_PORT": str(SMS_SIM_PORT),
                "SMS_SIM_JOURNAL": str(run_dir / "sms.jsonl"),
            },
            simulator=True,
        ),
    ]


def generator_argv(data: Dataset, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "registry_simulators.population",
        "--persons",
        str(data.persons),
        "--seed",
        str(data.seed),
        "--start",
        data.start.isoformat(),
        "--days",
        str(data.days),
        "--out",
        str(out),
    ]
