"""The faults of a chaos round, in a seeded random order, and the record of each one.

Every round injects each kind once, 2–6 s apart: ``kill-service`` (SIGKILL one instance of
one service, start it again), ``kill-broker`` (SIGKILL, down 3–8 s, restarted on the same
data), ``crash-postgres`` (``pg_ctl stop -m immediate``, down 3–8 s), ``network`` (Kafka
or PostgreSQL: 300 ms of latency or a stall for 5–10 s, or every connection cut) and
``partner`` (the bank or the SMS gateway down, or timing out after the work, for 5–10 s).
The network and partner modes go round in a seeded order, so that three rounds show every
mode of each. A process that exits on its own is named with the fault before it and the end
of its log, and started again so that the run goes on (the run fails all the same).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from devstack import kafka, partners, postgres
from devstack.chaos.stack import ChaosStack
from devstack.components import Plan
from devstack.console import say
from devstack.supervisor import Supervisor
from devstack.tcp_proxy import Mode

KINDS = ("kill-service", "kill-broker", "crash-postgres", "network", "partner")
NETWORK_MODES = ("latency", "stall", "cut")
PARTNER_MODES = ("outage", "timeout-after-work")
LATENCY_MS = 300


@dataclass(frozen=True)
class Injected:
    round: int
    kind: str
    target: str
    #: Seconds since the chaos began, and how long the fault lasted.
    at_s: float
    lasted_s: float


@dataclass(frozen=True)
class Died:
    """A process that exited on its own after a fault: it did not ride the fault out."""

    process: str
    code: int | None
    after: Injected
    log_tail: tuple[str, ...]

    def __str__(self) -> str:
        f = self.after
        return (
            f"{self.process} exited with code {self.code} after round {f.round}'s {f.kind}"
            f" ({f.target}, at {f.at_s:.0f} s)"
        )


@dataclass
class Chaos:
    stack: ChaosStack
    supervisor: Supervisor
    plan: Plan
    seed: int
    rng: random.Random = field(init=False)
    injected: list[Injected] = field(default_factory=list)
    died: list[Died] = field(default_factory=list)
    began: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self._network = self.rng.sample(NETWORK_MODES, len(NETWORK_MODES))
        self._partner = self.rng.sample(PARTNER_MODES, len(PARTNER_MODES))

    async def rounds(self, count: int) -> None:
        for n in range(1, count + 1):
            await self.round(n, count)

    async def round(self, n: int, of: int) -> None:
        inject: dict[str, Callable[[int], Awaitable[str]]] = {
            "kill-service": self.kill_service,
            "kill-broker": self.kill_broker,
            "crash-postgres": self.crash_postgres,
            "network": self.network,
            "partner": self.partner,
        }
        for kind in self.rng.sample(KINDS, len(KINDS)):
            await asyncio.sleep(self.rng.uniform(2, 6))
            started = time.monotonic()
            target = await inject[kind](n)
            done = Injected(n, kind, target, started - self.began, time.monotonic() - started)
            self.injected.append(done)
            say(f"chaos round {n}/{of}: {kind} {target} ({done.lasted_s:.1f} s)")
            self.revive(self.supervisor.dead())

    def revive(self, dead: list[str]) -> None:
        """Note every process that exited on its own (after the last fault injected), say
        so with the end of its log, and start it again (as an orchestrator would), so that
        the run goes on."""
        components = {c.name: c for c in self.plan.components}
        for name in dead:
            code = self.supervisor.running[name].returncode
            died = Died(name, code, self.injected[-1], tuple(self.supervisor.last_lines(name)))
            self.died.append(died)
            tail = "\n    ".join(died.log_tail)
            say(f"chaos: DIED: {died}; restarted. The end of its log:\n    {tail}")
            self.supervisor.start(components[name])

    async def kill_service(self, n: int) -> str:
        victim = self.rng.choice([c for c in self.plan.components if not c.simulator])
        self.supervisor.kill_and_restart(victim)
        return victim.name

    async def kill_broker(self, n: int) -> str:
        down = self.rng.uniform(3, 8)
        await asyncio.to_thread(kafka.kill, self.stack.layout)
        await asyncio.sleep(down)
        await asyncio.to_thread(kafka.start, self.stack.layout)
        await self.stack.kafka_ready()
        return f"kafka (down {down:.0f} s)"

    async def crash_postgres(self, n: int) -> str:
        down = self.rng.uniform(3, 8)
        await asyncio.to_thread(postgres.crash, self.stack.layout)
        await asyncio.sleep(down)
        await asyncio.to_thread(postgres.start, self.stack.layout)
        return f"postgresql (down {down:.0f} s)"

    async def network(self, n: int) -> str:
        proxy = self.rng.choice([self.stack.kafka_proxy, self.stack.postgres_proxy])
        mode = self._network[(n - 1) % len(self._network)]
        if mode == "cut":
            return f"{proxy.name} cut ({proxy.cut()} connections)"
        seconds = self.rng.uniform(5, 10)
        proxy.set_mode(Mode(mode), LATENCY_MS)
        try:
            await asyncio.sleep(seconds)
        finally:
            proxy.set_mode(Mode.PASS)
        what = f"{LATENCY_MS} ms latency" if mode == "latency" else "stalled"
        return f"{proxy.name} {what}"

    async def partner(self, n: int) -> str:
        endpoint = self.rng.choice(list(partners.PARTNERS))
        mode = self._partner[(n - 1) % len(self._partner)]
        url, seconds = self.plan.endpoints[endpoint], self.rng.uniform(5, 10)
        if mode == "outage":
            await partners.outage(url, seconds)
        else:
            await partners.timeouts_after_work(endpoint, url, seconds)
        return f"{'bank' if endpoint == 'BANK_API_URL' else 'SMS gateway'} {mode}"
