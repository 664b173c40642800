"""One run of the whole system for the end-to-end suite: every simulator and service as its
own process, in a namespace of its own, with partner faults, outages and every service
killed with SIGKILL in turn, several rounds, while the registries stream in."""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from benefits_shared.kafka.admin import ensure_topics
from devstack.components import SERVICES, Dataset, Plan, free_offset, generator_argv, plan
from devstack.invariants import drained_and_checked
from devstack.layout import Layout
from devstack.namespace import Namespace
from devstack.observe import Observer
from devstack.partners import QUICK_RECOVERY, outage, partners_up
from devstack.reconcile import Summary
from devstack.supervisor import Supervisor

ROOT = Path(__file__).resolve().parents[2]
DATA = Dataset(
    persons=int(os.environ.get("E2E_PERSONS", "1500")),
    seed=5,
    start=date(2025, 11, 1),
    days=365,
    # A messier world than the default, so that every defect of registries.md shows up.
    options=(
        "--malformed-rate",
        "0.03",
        "--redelivery-rate",
        "0.05",
        "--mse-bad-row-rate",
        "0.05",
        "--cancellation-rate",
        "0.03",
        "--correction-rate",
        "0.03",
    ),
)
FAULTS: dict[str, dict[str, str]] = {
    **QUICK_RECOVERY,
    "registry-simulators": {
        "CIVIL_SIM_SERVER_ERROR_RATE": "0.1",
        "CIVIL_SIM_REDELIVERY_RATE": "0.2",
    },
    "bank-simulator": {
        "BANK_SIM_ERROR_RATE": "0.1",
        "BANK_SIM_TIMEOUT_RATE": "0.05",
        "BANK_SIM_TIMEOUT_HOLD_SECONDS": "12",
    },
    "sms-simulator": {"SMS_SIM_SERVER_ERROR_RATE": "0.1", "SMS_SIM_TIMEOUT_RATE": "0.05"},
}


@dataclass
class E2ERun:
    plan: Plan
    ns: Namespace
    bootstrap: str
    database_url: str
    supervisor: Supervisor
    summary: Summary
    dataset: Path
    kills: list[str]


def prepare(
    bootstrap: str, database_url: str, run_dir: Path, suffix: str, replicas: int
) -> tuple[Plan, Namespace, Supervisor]:
    ns = Namespace(suffix=suffix, port_offset=free_offset(suffix))
    asyncio.run(ensure_topics(bootstrap, ns.topics()))
    the_plan = plan(Layout(ROOT), DATA, ns, run_dir, FAULTS, replicas)
    subprocess.run(
        generator_argv(DATA, run_dir / "registries"), check=True, stdout=subprocess.DEVNULL
    )
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "INFO",
    }
    return the_plan, ns, Supervisor(run_dir / "logs", env)


async def chaos(supervisor: Supervisor, the_plan: Plan, rounds: int, seed: int) -> list[str]:
    """SIGKILL each service in turn at random moments, restart it; partner outages between.
    With several instances of each, a round kills one instance of every service, the
    first instance in the first round, the second in the next, and so on."""
    rng = random.Random(seed)
    kills: list[str] = []
    for round_no in range(rounds):
        for name in SERVICES:
            await asyncio.sleep(rng.uniform(2, 6))
            instances = [c for c in the_plan.components if c.of(name)]
            victim = instances[round_no % len(instances)]
            if supervisor.kill_and_restart(victim):
                kills.append(victim.name)
        await outage(the_plan.endpoints["BANK_API_URL"], rng.uniform(3, 8))
        await outage(the_plan.endpoints["SMS_GATEWAY_URL"], rng.uniform(3, 8))
    return kills


async def run(
    bootstrap: str, database_url: str, run_dir: Path, suffix: str, replicas: int = 1
) -> E2ERun:
    the_plan, ns, supervisor = await asyncio.to_thread(
        prepare, bootstrap, database_url, run_dir, suffix, replicas
    )
    for component in the_plan.components:
        supervisor.start(component)
    try:
        await partners_up(the_plan)
        rounds = int(os.environ.get("E2E_ROUNDS", "2"))
        kills = await chaos(supervisor, the_plan, rounds=rounds, seed=7)
        summary = await drained_and_checked(
            lambda: Observer(bootstrap, the_plan.endpoints, ns, database_url),
            supervisor,
            run_dir / "registries",
            timeout_s=1200,
        )
    except BaseException:
        supervisor.stop()  # a failed run leaves no process behind
        raise
    return E2ERun(
        the_plan, ns, bootstrap, database_url, supervisor, summary, run_dir / "registries", kills
    )


def restart_service(e2e: E2ERun, name: str, env: dict[str, str] | None = None) -> None:
    """Stop every instance of service ``name`` and start them again (with more ``env``)."""
    e2e.supervisor.stop_service(name)
    for component in e2e.plan.components:
        if component.of(name):
            e2e.supervisor.start(replace(component, env={**component.env, **(env or {})}))


def observer_of(e2e: E2ERun) -> Observer:
    """A fresh observer (in the caller's event loop) of the run's namespace."""
    return Observer(e2e.bootstrap, e2e.plan.endpoints, e2e.ns)


def python() -> str:
    return sys.executable
