"""``devstack chaos`` (``make chaos``): the whole platform on a stack of its own, rounds of
faults while the registries stream in, then the drain and every check.

Settings: ``CHAOS_ROUNDS`` (20), ``CHAOS_SEED`` (the schedule's seed, printed; the same
seed injects the same faults in the same order), ``CHAOS_PERSONS`` and ``CHAOS_DAYS``
(``make run``'s 50,000 and 365 by default), ``CHAOS_STATE_DIR`` (where its Kafka,
PostgreSQL and logs live; ``.state/chaos/<seed>-<time>`` by default), ``RUN_REPLICAS``.
Exit codes: 0 every check holds; 1 a check failed; 3 a process died of a fault (it is
started again and the run goes on, so that the other checks still say what they found).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from benefits_shared.kafka.admin import ensure_topics

from devstack.chaos.faults import Chaos
from devstack.chaos.report import report
from devstack.chaos.stack import ChaosStack
from devstack.components import Dataset, Plan, free_offset, plan
from devstack.console import say
from devstack.demo import DEFAULT, generate_dataset
from devstack.invariants import drained_and_checked
from devstack.layout import Layout
from devstack.namespace import Namespace
from devstack.observe import Observer
from devstack.outages import Outages
from devstack.partners import QUICK_RECOVERY, partners_up
from devstack.reconcile import Check
from devstack.summary_view import summary_text
from devstack.supervisor import Supervisor

HELD, NOT_HELD, PROCESS_DIED = 0, 1, 3
SURVIVED = "every process rode out every fault (none exited)"
DEFAULT_SEED = 20261202


@dataclass(frozen=True)
class ChaosSettings:
    rounds: int
    seed: int
    data: Dataset
    state: Path

    @classmethod
    def from_env(cls, root: Path) -> ChaosSettings:
        seed = int(os.environ.get("CHAOS_SEED") or DEFAULT_SEED)
        data = replace(
            DEFAULT,
            persons=int(os.environ.get("CHAOS_PERSONS") or DEFAULT.persons),
            days=int(os.environ.get("CHAOS_DAYS") or DEFAULT.days),
        )
        stamp = f"{seed}-{datetime.now(UTC):%Y%m%dT%H%M%S}"
        state = os.environ.get("CHAOS_STATE_DIR") or root / ".state" / "chaos" / stamp
        return cls(int(os.environ.get("CHAOS_ROUNDS") or 20), seed, data, Path(state).resolve())

    def describe(self) -> str:
        size = f"{self.data.persons:,} persons, {self.data.days} days"
        if (self.data.persons, self.data.days) != (DEFAULT.persons, DEFAULT.days):
            size += f" (smaller than make run's {DEFAULT.persons:,} and {DEFAULT.days})"
        return (
            f"chaos: {self.rounds} rounds, seed {self.seed} (CHAOS_SEED={self.seed} injects the"
            f" same faults again), {size}; its stack and logs in {self.state}"
        )


def main(root: Path) -> int:
    settings = ChaosSettings.from_env(root)
    say(settings.describe())
    stack = ChaosStack.on_free_ports(root, settings.state)
    code = PROCESS_DIED
    try:
        stack.start()
        say(
            f"chaos: Kafka {stack.bootstrap} (services via {stack.services_bootstrap}),"
            f" PostgreSQL {stack.database_url} (services via proxy port"
            f" {stack.postgres_proxy.listen_port})"
        )
        code = asyncio.run(_run(stack, settings))
        return code
    finally:
        say("chaos: stopping its stack…")
        stack.stop(remove_data=code == HELD)


async def _run(stack: ChaosStack, settings: ChaosSettings) -> int:
    the_plan, ns, supervisor = await _prepare(stack, settings)
    chaos = Chaos(stack, supervisor, the_plan, settings.seed)
    started = time.monotonic()
    try:
        for component in the_plan.components:
            supervisor.start(component)
        await partners_up(the_plan)
        chaos.began = time.monotonic()
        await chaos.rounds(settings.rounds)
        checks, summary = await _drain_and_check(stack, the_plan, ns, chaos)
    except Exception as stopped:  # a source away too long, a simulator that never answered
        say(f"chaos: the run stopped before its checks: {type(stopped).__name__}: {stopped}")
        checks = [survival(chaos), Check("the checks of the data", False, "did not run")]
        print(report(chaos.injected, checks, time.monotonic() - started, settings.seed))
        return PROCESS_DIED if chaos.died else NOT_HELD
    finally:
        supervisor.stop()
    print(summary)
    checks.insert(0, survival(chaos))
    print(report(chaos.injected, checks, time.monotonic() - started, settings.seed))
    if chaos.died:
        return PROCESS_DIED
    return HELD if all(c.ok for c in checks) else NOT_HELD


def survival(chaos: Chaos) -> Check:
    """Whether every process rode out every fault; the exits per process (each was named
    with its fault and the end of its log on stderr when it happened)."""
    if not chaos.died:
        return Check(SURVIVED, True, f"{len(chaos.injected)} faults, no exit")
    per = Counter(d.process for d in chaos.died)
    kinds = Counter(d.after.kind for d in chaos.died)
    return Check(
        SURVIVED,
        False,
        f"{len(chaos.died)} exits: {_listed(per)}; after {_listed(kinds)}"
        f" (each named on stderr; the first: {chaos.died[0]})",
    )


def _listed(counts: Counter[str]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counts.most_common())


async def _prepare(
    stack: ChaosStack, settings: ChaosSettings
) -> tuple[Plan, Namespace, Supervisor]:
    ns = Namespace(port_offset=free_offset(f"chaos-{settings.seed}"))
    await ensure_topics(stack.bootstrap, ns.topics())
    lay = Layout(stack.layout.root, settings.state)
    the_plan = plan(lay, settings.data, ns, settings.state / "run", QUICK_RECOVERY)
    await asyncio.to_thread(generate_dataset, settings.data, the_plan.run_dir / "registries")
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": stack.services_bootstrap,
        "DATABASE_URL": stack.services_database_url,
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
    }
    return the_plan, ns, Supervisor(stack.layout.logs / "run", env)


async def _drain_and_check(
    stack: ChaosStack, the_plan: Plan, ns: Namespace, chaos: Chaos
) -> tuple[list[Check], str]:
    """Every check once the backlog is drained, and the run's summary as text."""
    say("chaos: the last round is over; waiting for the backlog to drain…")
    dataset = the_plan.run_dir / "registries"
    summary = await drained_and_checked(
        lambda: _observer(stack, the_plan, ns), chaos.supervisor, dataset, revive=chaos.revive
    )
    return summary.checks, summary_text(summary)


def _observer(stack: ChaosStack, the_plan: Plan, ns: Namespace) -> Observer:
    outages = Outages(give_up_after_s=300)
    return Observer(stack.bootstrap, the_plan.endpoints, ns, stack.database_url, outages)
