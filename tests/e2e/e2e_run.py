"""One run of the whole system for the end-to-end suite: every simulator and service as its
own process, in a namespace of its own, with partner faults, outages and every service
killed with SIGKILL in turn, several rounds, while the registries stream in."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from benefits_shared.kafka.admin import ensure_topics
from devstack.components import (
    BANK_SIM_PORT,
    CIVIL_SIM_PORT,
    NOTIFIER_PORT,
    OPS_PORT,
    POPULATION_SIM_PORT,
    SERVICES,
    SMS_SIM_PORT,
    Dataset,
    Plan,
    generator_argv,
    plan,
)
from devstack.demo import watch
from devstack.layout import Layout
from devstack.namespace import Namespace
from devstack.observe import Observer
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
    # Noon in Baku, so the notices are not held for quiet hours whenever CI runs.
    "notifier": {
        "NOTIFIER_FIXED_TIME": "2026-11-23T12:00:00+04:00",
        "NOTIFIER_BACKOFF_MAX_SECONDS": "5",
        "NOTIFIER_BREAKER_COOLDOWN_SECONDS": "5",
    },
    "bank-gateway": {
        "GATEWAY_STATUS_POLL_SECONDS": "1",
        "GATEWAY_RETRY_MAX_SECONDS": "5",
        "GATEWAY_BREAKER_OPEN_SECONDS": "5",
    },
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


PORTS = (BANK_SIM_PORT, SMS_SIM_PORT, CIVIL_SIM_PORT, POPULATION_SIM_PORT, NOTIFIER_PORT, OPS_PORT)
PORTS += (NOTIFIER_PORT + 1, OPS_PORT + 1)  # a second instance's (devstack.components.instance)


def free_offset(suffix: str) -> int:
    """A port offset whose ports are all free now: two runs on one machine (two clones, two
    developers) never send one's payments to the other's simulators."""
    offsets = list(range(1000, 9000, 100))
    random.Random(suffix).shuffle(offsets)
    for offset in offsets:
        if all(_free(base + offset) for base in PORTS):
            return offset
    raise RuntimeError("no free ports for the end-to-end run")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


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
            proc = supervisor.running[victim.name]
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                kills.append(victim.name)
            supervisor.start(victim)
        await _outage(the_plan.endpoints["BANK_API_URL"], rng.uniform(3, 8))
        await _outage(the_plan.endpoints["SMS_GATEWAY_URL"], rng.uniform(3, 8))
    return kills


async def _partners_up(the_plan: Plan, timeout_s: float = 180) -> None:
    """Wait until the partner simulators answer (a loaded machine starts them slowly), so
    the chaos's outages have someone to switch."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    async with httpx.AsyncClient(timeout=5) as http:
        for name in ("BANK_API_URL", "SMS_GATEWAY_URL"):
            while True:
                try:
                    if (await http.get(f"{the_plan.endpoints[name]}/_sim/health")).is_success:
                        break
                except httpx.TransportError:
                    pass
                if asyncio.get_running_loop().time() > deadline:
                    raise TimeoutError(f"the simulator behind {name} never answered")
                await asyncio.sleep(1)


async def _outage(base_url: str, seconds: float) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        await http.post(f"{base_url}/_sim/faults", json={"outage": True})
        await asyncio.sleep(seconds)
        await http.post(f"{base_url}/_sim/faults", json={"outage": False})


async def run(
    bootstrap: str, database_url: str, run_dir: Path, suffix: str, replicas: int = 1
) -> E2ERun:
    the_plan, ns, supervisor = await asyncio.to_thread(
        prepare, bootstrap, database_url, run_dir, suffix, replicas
    )
    for component in the_plan.components:
        supervisor.start(component)
    observer = Observer(bootstrap, the_plan.endpoints, ns)
    try:
        await _partners_up(the_plan)
        rounds = int(os.environ.get("E2E_ROUNDS", "2"))
        kills = await chaos(supervisor, the_plan, rounds=rounds, seed=7)
        summary = await watch(observer, supervisor, quiet_s=25, timeout_s=1200)
    except BaseException:
        supervisor.stop()  # a failed run leaves no process behind
        raise
    finally:
        await observer.close()
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


def truth(dataset: Path) -> list[dict[str, Any]]:
    with (dataset / "truth.jsonl").open() as lines:
        return [json.loads(line) for line in lines]


def python() -> str:
    return sys.executable
