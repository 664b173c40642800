"""End to end: births in ``life-events`` (and their mothers in ``persons``) to payments
settled at the bank and SMS accepted by the gateway, through the engine, the bank gateway
and the notifier as processes, with the bank and SMS simulators (no faults).

- throughput: a burst of N births (DOST's busiest day is about 25,000), births per second
  from the first publish to the last SMS accepted;
- latency: births published at each of several steady rates (50/s and 200/s), each rate
  once the one before has drained: p50/p99 from a birth's arrival in Kafka to its SMS
  accepted by the gateway, beside the rate actually sustained (the rate's births over the
  span from the first one's arrival to the last one's SMS accepted);
- peak memory and CPU seconds of every process (Kafka's and PostgreSQL's too, when they
  are the local stack's): where the run's time goes.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from benefits_shared.clock import BAKU
from benefits_shared.contracts.life_events import BirthRegistered, Child
from benefits_shared.contracts.persons import PersonRecord
from benefits_shared.kafka.admin import ensure_topics
from benefits_shared.kafka.clients import idempotent_producer
from benefits_shared.kafka.everything_known import announce_everything_known
from benefits_shared.pin import PinHasher
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from benefits_shared.topics import LIFE_EVENTS, PERSONS

from devstack.bench.measure import PeakMemory, wait_until
from devstack.components import Dataset, plan
from devstack.demo import latency_spans
from devstack.layout import Layout
from devstack.namespace import Namespace
from devstack.observe import Observer
from devstack.reconcile import latency
from devstack.supervisor import Supervisor
from devstack.teardown import remove

#: The local stack's processes, found by their command lines (and the project's state folder).
STACK = {"kafka": ("kafka.Kafka",), "postgresql": ("bin/postgres",)}
WANTED = ("bank-simulator", "sms-simulator", "engine", "bank-gateway", "notifier")
ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
SETTINGS = {
    "notifier": {
        "NOTIFIER_FIXED_TIME": "2026-11-23T12:00:00+04:00",
        "NOTIFIER_SEND_RATE": "2000",
        # The send window's ceiling for a gateway that takes this many at once, as the
        # simulator does (the default, 16, is for a partner not yet known; the window
        # still halves on 429). A wider window puts more notices in each claim and
        # outcome transaction: 25,000 births in 117 s against 147 at 16 (README).
        "NOTIFIER_SEND_CONCURRENCY": "96",
        "NOTIFIER_ACCOUNT_WAIT_SECONDS": "3600",
    },
    "sms-simulator": {"SMS_SIM_RATE_LIMIT": "0"},
    "bank-simulator": {"BANK_SIM_SETTLEMENT_DELAY_SECONDS": "0"},
    "bank-gateway": {"GATEWAY_STATUS_POLL_SECONDS": "0.5"},
}


class Feed:
    """Mothers and their newborns, as the connectors would publish them."""

    def __init__(self, bootstrap: str, ns: Namespace) -> None:
        self._bootstrap = bootstrap
        self._producer = idempotent_producer(bootstrap, "bench-feed")
        self._hasher = PinHasher(DEV_PIN_HMAC_KEY)
        self._ns = ns
        self._rng = random.Random(3)
        self._seq = 0

    async def start(self) -> None:
        """The connectors are not run: say the registries are copied (ADR 0008)."""
        await self._producer.start()
        persons, life_events = self._ns.topic(PERSONS), self._ns.topic(LIFE_EVENTS)
        await announce_everything_known(self._bootstrap, persons, life_events, PERSONS.partitions)

    async def stop(self) -> None:
        await self._producer.stop()

    def _pin(self) -> str:
        return "".join(self._rng.choice(ALPHABET) for _ in range(7))

    async def births(self, n: int, prefix: str) -> None:
        mothers = [self._pin() for _ in range(n)]
        futures = [
            await self._send(
                PERSONS,
                PersonRecord(
                    pin=m,
                    given_name="Leyla",
                    surname="Məmmədova",
                    birth_date=date(1992, 5, 5),
                    sex="F",
                    phone=f"+99450{self._rng.randint(1000000, 9999999)}",
                ),
                m,
            )
            for m in mothers
        ]
        await asyncio.gather(*futures)
        futures = []
        for mother in mothers:
            self._seq += 1
            child = self._pin()
            day = date(2026, 10, 1) + timedelta(days=self._seq % 30)
            futures.append(
                await self._send(
                    LIFE_EVENTS,
                    BirthRegistered(
                        record_no=f"{prefix}-{self._seq:09d}",
                        seq=self._seq,
                        registered_at=datetime(2026, 11, 1, 10, tzinfo=BAKU),
                        office="Baku",
                        child=Child(
                            pin=child,
                            given_name="Aysel",
                            surname="Məmmədova",
                            birth_date=day,
                            sex="F",
                        ),
                        mother_pin=mother,
                    ),
                    child,
                )
            )
        await asyncio.gather(*futures)

    async def _send(self, topic: Any, payload: Any, pin: str) -> Any:
        event = payload.to_cloudevent("/bench", datetime.now(BAKU), None)
        return await self._producer.send(
            self._ns.topic(topic),
            value=event.value(),
            key=self._hasher.kafka_key(pin),
            headers=event.headers(),
        )


@dataclass(frozen=True, slots=True)
class Steady:
    """Births published at ``offered`` per second: how they fared."""

    offered: int
    sustained: float  # births/s from the first one's arrival to the last one's SMS
    p50_s: float
    p99_s: float


async def e2e_benchmark(
    bootstrap: str,
    database_url: str,
    root: Path,
    births: int,
    rates: Sequence[int],
    seconds: int,
    replicas: int = 1,
) -> dict[str, Any]:
    """``replicas`` instances of the engine, the bank gateway and the notifier (ADR 19)."""
    run = uuid.uuid4().hex[:8]
    ns = Namespace(suffix=f"bench{run}", port_offset=2000)
    await ensure_topics(bootstrap, ns.topics())
    run_dir = root / ".state" / "bench" / run
    data = Dataset(persons=1, seed=1, start=date(2026, 11, 1), days=1)
    the_plan = plan(Layout(root), data, ns, run_dir, SETTINGS, replicas)
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }
    supervisor = Supervisor(run_dir / "logs", {**os.environ, **env})
    memory: dict[str, PeakMemory] = {}
    for component in the_plan.components:
        if (component.service or component.name) in WANTED:
            supervisor.start(component)
            memory[component.name] = PeakMemory(supervisor.running[component.name].pid)
            memory[component.name].start()
    state = str(root / ".state")
    for name, words in STACK.items():
        if (stack := PeakMemory.of_command(*words, state)) is not None:  # the stack's, if local
            memory[name] = stack
            stack.start()
    observer = Observer(bootstrap, the_plan.endpoints, ns)
    feed = Feed(bootstrap, ns)
    await feed.start()
    steady: list[Steady] = []
    try:
        await asyncio.sleep(8)  # migrations and group joins
        print(f"  end to end: a burst of {births:,} births…", flush=True)
        started = time.monotonic()
        await feed.births(births, "BURST")
        burst_s = await wait_until(lambda: _sms_at_least(observer, births), 7200, "burst", 0.5)
        burst_s = max(burst_s, time.monotonic() - started)
        sent = births
        for rate in rates:
            print(f"  end to end: {rate} births/s for {seconds}s…", flush=True)
            for _ in range(seconds):
                tick = time.monotonic()
                await feed.births(rate, f"STEADY{rate}")
                await asyncio.sleep(max(0.0, 1 - (time.monotonic() - tick)))
            sent += rate * seconds
            await wait_until(partial(_sms_at_least, observer, sent), 3600, f"{rate}/s", 0.5)
            steady.append(await _steady(observer, rate))
        run_s = time.monotonic() - started
    finally:
        await feed.stop()
        for m in memory.values():
            m.stop()
        await observer.close()
        supervisor.stop()
        await remove(bootstrap, database_url, ns)
    return {
        "births_per_s": births / burst_s,
        "burst_seconds": burst_s,
        "steady": [asdict(s) for s in steady],
        "births": sent,
        "run_seconds": run_s,
        # Kafka's and PostgreSQL's resident memory is their heap and shared buffers, not a
        # figure of ours (and summed over backends it counts the shared buffers in each)
        "peak_mb": {name: m.peak_mb for name, m in memory.items() if name not in STACK},
        "cpu_s": {name: m.cpu_s for name, m in memory.items()},
    }


async def _sms_at_least(observer: Observer, n: int) -> bool:
    """Asks the simulator how many it took (the whole listing would load the machine)."""
    answer = await observer.sim_json("SMS_GATEWAY_URL", "/_sim/messages/count")
    return answer is not None and int(answer["count"]) >= n


async def _steady(observer: Observer, rate: int) -> Steady:
    prefix = f"STEADY{rate}-"
    decisions = [
        r
        for r in await observer.read("benefit-decisions")
        if str(r.value.get("facts", {}).get("birth", {}).get("record_no", "")).startswith(prefix)
    ]
    starts, ends = await latency_spans(observer, decisions, await observer.read("notices"))
    percentiles = latency(starts, ends)
    if percentiles is None:
        raise RuntimeError(f"no SMS of the births at {rate}/s were found in the notices topic")
    span_s = max((max(ends.values()) - min(starts.values())) / 1000, 0.001)
    return Steady(rate, len(ends) / span_s, *percentiles)
