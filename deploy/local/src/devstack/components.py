"""The processes of the main job: simulators for the endpoints that are not set, and every
service, each with its environment. Every one runs as ``python -m <package>``."""

from __future__ import annotations

import os
import random
import secrets
import socket
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from devstack.layout import Layout
from devstack.namespace import Namespace

BANK_SIM_PORT, SMS_SIM_PORT = 18081, 18082
CIVIL_SIM_PORT, POPULATION_SIM_PORT = 18083, 18084
NOTIFIER_PORT = 18090
OPS_PORT = 8080


@dataclass(frozen=True)
class Dataset:
    persons: int
    seed: int
    start: date
    days: int
    #: More generator options, e.g. ("--malformed-rate", "0.03").
    options: tuple[str, ...] = ()

    def generator_options(self, out: Path) -> tuple[str, ...]:
        return (
            "--persons",
            str(self.persons),
            "--seed",
            str(self.seed),
            "--start",
            self.start.isoformat(),
            "--days",
            str(self.days),
            "--out",
            str(out),
            *self.options,
        )

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
    #: The service this is an instance of (its first instance bears the service's name).
    service: str = ""

    def argv(self) -> list[str]:
        return [sys.executable, "-m", self.module, *self.args]

    def of(self, service: str) -> bool:
        return (self.service or self.name) == service


@dataclass(frozen=True)
class Plan:
    """What runs, and the endpoints the services are pointed at."""

    components: list[Component]
    endpoints: dict[str, str]
    run_dir: Path


def plan(
    layout: Layout,
    data: Dataset,
    ns: Namespace | None = None,
    run_dir: Path | None = None,
    extra_env: dict[str, dict[str, str]] | None = None,
    replicas: int | None = None,
) -> Plan:
    """The processes of a run; ``extra_env`` adds settings per component (faults, say);
    ``replicas`` instances of every service (default ``RUN_REPLICAS``, else 1)."""
    ns = ns or Namespace()
    run_dir = run_dir or layout.state / "run" / data.name
    endpoints = _endpoints(ns, run_dir)
    extra = extra_env or {}
    # The SMS gateway signs delivery reports with it, the notifier checks it (ADR 0017).
    signing = {"SMS_REPORT_SECRET": os.environ.get("SMS_REPORT_SECRET") or secrets.token_hex(32)}
    sims = [
        Component(c.name, c.module, {**c.env, **extra.get(c.name, {})}, c.args, True)
        for c in _simulators(run_dir, data, ns, signing)
        if any(not os.environ.get(v) for v in _SIMULATES[c.name])
    ]
    own = {
        "connectors": dict(endpoints),
        "clock-ticker": {"CLOCK_START": data.start.isoformat()},
        "engine": {},
        "bank-gateway": {"BANK_API_URL": endpoints["BANK_API_URL"]},
        "notifier": {
            "SMS_GATEWAY_URL": endpoints["SMS_GATEWAY_URL"],
            "NOTIFIER_HTTP_PORT": str(ns.port(NOTIFIER_PORT)),
            **signing,
        },
        "ops": {"OPS_HTTP_PORT": str(ns.port(OPS_PORT))},
    }
    names = ns.service_env()
    services = [
        instance(
            Component(name, module, {**own[name], **names.get(name, {}), **extra.get(name, {})}), n
        )
        for name, module in SERVICES.items()
        for n in range(1, (replicas or replicas_wanted()) + 1)
    ]
    # RUN_WITHOUT=engine,notifier: run those yourself (in a debugger, say).
    skipped = set(filter(None, os.environ.get("RUN_WITHOUT", "").split(",")))
    return Plan(
        [c for c in sims + services if (c.service or c.name) not in skipped], endpoints, run_dir
    )


#: Settings that name a port: each instance of a service listens on its own.
INSTANCE_PORTS = ("NOTIFIER_HTTP_PORT", "OPS_HTTP_PORT", "HEALTH_PORT")


def replicas_wanted() -> int:
    """``RUN_REPLICAS=N``: every service runs as N instances in its consumer group."""
    wanted = int(os.environ.get("RUN_REPLICAS", "1"))
    if wanted < 1:
        raise ValueError("RUN_REPLICAS must be 1 or more")
    return wanted


def instance(service: Component, n: int) -> Component:
    """The ``n``-th instance of a service: the first is the service itself; the others are
    named ``<service>-<n>``, with the same settings but ports of their own (base + n - 1)."""
    if n == 1:
        return service
    ports = {k: str(int(v) + n - 1) for k, v in service.env.items() if k in INSTANCE_PORTS}
    env = {**service.env, **ports}
    return Component(f"{service.name}-{n}", service.module, env, service.args, False, service.name)


SERVICES = {
    "connectors": "registry_connectors",
    "clock-ticker": "clock_ticker",
    "engine": "eligibility_engine",
    "bank-gateway": "bank_gateway",
    "notifier": "notifier",
    "ops": "benefits_ops",
}


def _endpoints(ns: Namespace, run_dir: Path) -> dict[str, str]:
    """The configuration contract's endpoints: as set, else our simulators."""
    local = {
        "CIVIL_REGISTRY_URL": f"http://127.0.0.1:{ns.port(CIVIL_SIM_PORT)}",
        "POPULATION_REGISTRY_URL": f"http://127.0.0.1:{ns.port(POPULATION_SIM_PORT)}",
        "MSE_DROP_DIR": str(run_dir / "mse-drop"),
        "BANK_API_URL": f"http://127.0.0.1:{ns.port(BANK_SIM_PORT)}",
        "SMS_GATEWAY_URL": f"http://127.0.0.1:{ns.port(SMS_SIM_PORT)}",
    }
    return {name: os.environ.get(name) or url for name, url in local.items()}


_SIMULATES = {
    "registry-simulators": ("CIVIL_REGISTRY_URL", "POPULATION_REGISTRY_URL"),
    "mse-commission": ("MSE_DROP_DIR",),
    "bank-simulator": ("BANK_API_URL",),
    "sms-simulator": ("SMS_GATEWAY_URL",),
}


def _simulators(
    run_dir: Path, data: Dataset, ns: Namespace, signing: dict[str, str]
) -> list[Component]:
    dataset = run_dir / "registries"
    generator = data.generator_options(dataset)
    return [
        Component(
            "registry-simulators",
            "registry_simulators",
            {
                "REGISTRY_SIM_DATA_DIR": str(dataset),
                "REGISTRY_SIM_SEED": str(data.seed),
                "POPULATION_SIM_RATE_LIMIT": "0",
                "CIVIL_SIM_PORT": str(ns.port(CIVIL_SIM_PORT)),
                "POPULATION_SIM_PORT": str(ns.port(POPULATION_SIM_PORT)),
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
                "BANK_SIM_PORT": str(ns.port(BANK_SIM_PORT)),
                "BANK_SIM_LEDGER_PATH": str(run_dir / "bank-ledger.jsonl"),
                "BANK_SIM_SETTLEMENT_DELAY_SECONDS": "1",
            },
            simulator=True,
        ),
        Component(
            "sms-simulator",
            "sms_simulator",
            {
                "SMS_SIM_PORT": str(ns.port(SMS_SIM_PORT)),
                "SMS_SIM_JOURNAL": str(run_dir / "sms.jsonl"),
                **signing,
            },
            simulator=True,
        ),
    ]


#: The ports a run's simulators and services listen on (before its namespace's offset),
#: a second instance's included (``instance``).
PORTS: tuple[int, ...] = (BANK_SIM_PORT, SMS_SIM_PORT, CIVIL_SIM_PORT, POPULATION_SIM_PORT)
PORTS += (NOTIFIER_PORT, OPS_PORT, NOTIFIER_PORT + 1, OPS_PORT + 1)


def free_offset(seed: str) -> int:
    """A port offset whose ports are all free now, so that two runs on one machine (the
    end-to-end suite and ``make chaos`` beside ``make run``) never send one's payments to
    the other's simulators; ``seed`` picks the order the offsets are tried in."""
    offsets = list(range(1000, 9000, 100))
    random.Random(seed).shuffle(offsets)
    for offset in offsets:
        if all(_free(base + offset) for base in PORTS):
            return offset
    raise RuntimeError("no free ports for a second run")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def console_url(ns: Namespace) -> str:
    """Where the ops console of a run answers."""
    return f"http://127.0.0.1:{ns.port(OPS_PORT)}/console"


def ops_token_argv(name: str) -> list[str]:
    """The CLI that makes an admin token for a run (the secret on stdout, as JSON)."""
    cli = "benefits_ops.entrypoints.cli.main"
    return [
        sys.executable,
        "-m",
        cli,
        "tokens",
        "create",
        "--name",
        name,
        "--role",
        "admin",
        "--json",
    ]


def generator_argv(data: Dataset, out: Path) -> list[str]:
    return [sys.executable, "-m", "registry_simulators.population", *data.generator_options(out)]
