"""Partner faults (issue #12, ADR 18): accounts opened and SMS accepted per second while the
partners misbehave, against the same work with partners that behave, in the same run.

The faults: 10% 5xx, 5% time-outs after the work that hang 35 s, 5% 429. Accounts: a
bank-gateway process and the bank simulator (``bank_gateway.bench.accounts_per_second``).
SMS: a notifier process and the SMS-gateway simulator, one B3 grant notice per person,
timed from the notifier's start until every notice is accepted; the simulator must hold
exactly one message per notice. Target: faulty / fault-free ≥ 0.5 for both.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import httpx
from benefits_shared.clock import BAKU
from benefits_shared.contracts.decisions import BenefitDecided, Recipient
from benefits_shared.contracts.persons import PersonRecord
from benefits_shared.kafka.admin import delete_topics, ensure_topics
from benefits_shared.kafka.clients import idempotent_producer
from benefits_shared.local_ports import free_port as _free_port
from benefits_shared.pin import PinHasher
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from benefits_shared.topics import Topic
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from devstack.bench.measure import wait_until

SMS_FAULTS = {
    "server_error_rate": 0.10,
    "timeout_rate": 0.05,
    "timeout_seconds": 35,
    "rate_limited_rate": 0.05,
}
ROLES = ("benefit-decisions", "payments", "persons", "notices")
NOON = "2026-03-02T12:00:00+04:00"
ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LIMIT_SECONDS = 3600


async def partner_faults(bootstrap: str, database_url: str, persons: int) -> dict[str, float]:
    """Both rates with and without faults, and their ratios."""
    from bank_gateway.bench import BANK_FAULTS, accounts_per_second

    figures: dict[str, float] = {}
    for label, faults in (("fault_free", {}), ("faulty", BANK_FAULTS)):
        print(f"  accounts, {label}…", flush=True)
        figures[f"accounts_per_s_{label}"] = await asyncio.to_thread(
            accounts_per_second,
            persons,
            faults,
            kafka_bootstrap=bootstrap,
            database_url=database_url,
        )
    for label, faults in (("fault_free", {}), ("faulty", SMS_FAULTS)):
        print(f"  SMS, {label}…", flush=True)
        figures[f"sms_per_s_{label}"] = await sms_per_second(
            bootstrap, database_url, persons, faults
        )
    for what in ("accounts", "sms"):
        faulty, fault_free = figures[f"{what}_per_s_faulty"], figures[f"{what}_per_s_fault_free"]
        figures[f"{what}_ratio"] = faulty / fault_free
    return figures


async def sms_per_second(
    bootstrap: str, database_url: str, n: int, faults: Mapping[str, object]
) -> float:
    run = uuid.uuid4().hex[:8]
    schema, topics = f"bench_sms_{run}", {role: f"{role}-bench-sms-{run}" for role in ROLES}
    await ensure_topics(
        bootstrap,
        [Topic(name, 3) for name in topics.values()]
        + [Topic(f"{name}.dlq", 3, has_dead_letters=False) for name in topics.values()],
    )
    await _publish(bootstrap, topics, n)
    sim_port, http_port = _free_port(), _free_port()
    sim = _spawn("sms_simulator", _sim_env(sim_port, faults))
    notifier = None
    engine = create_async_engine(database_url)
    try:
        await _answering(f"http://127.0.0.1:{sim_port}/_sim/health")
        env = _notifier_env(bootstrap, database_url, schema, topics, sim_port, http_port)
        notifier = _spawn("notifier", env)
        await _answering(f"http://127.0.0.1:{http_port}/metrics")
        began = time.monotonic()

        async def all_accepted() -> bool:
            query = f'SELECT count(*) FROM "{schema}".notices WHERE message_id IS NOT NULL'
            async with engine.connect() as conn:
                return int((await conn.execute(text(query))).scalar_one()) >= n

        await wait_until(all_accepted, LIMIT_SECONDS, f"{n:,} SMS")
        elapsed = time.monotonic() - began
        await _check_once_each(sim_port, n)
        return n / elapsed
    finally:
        for process in (notifier, sim):
            if process is not None:
                process.terminate()
                process.wait(timeout=60)
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await engine.dispose()
        await delete_topics(bootstrap, topics.values(), dead_letters=True)


def _sim_env(port: int, faults: Mapping[str, object]) -> dict[str, str]:
    return {
        **os.environ,
        "SMS_SIM_PORT": str(port),
        "SMS_SIM_RATE_LIMIT": "0",
        "LOG_LEVEL": "WARNING",
        **{f"SMS_SIM_{k.upper()}": str(v) for k, v in faults.items()},
    }


def _notifier_env(
    bootstrap: str,
    database_url: str,
    schema: str,
    topics: Mapping[str, str],
    sim_port: int,
    http_port: int,
) -> dict[str, str]:
    return {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "DATABASE_URL": database_url,
        "SMS_GATEWAY_URL": f"http://127.0.0.1:{sim_port}",
        "NOTIFIER_SCHEMA": schema,
        "NOTIFIER_GROUP": f"notifier-{schema}",
        "NOTIFIER_INPUT_TOPICS": json.dumps([topics[r] for r in ROLES[:3]]),
        "NOTIFIER_NOTICES_TOPIC": topics["notices"],
        "NOTIFIER_HTTP_PORT": str(http_port),
        "NOTIFIER_FIXED_TIME": NOON,
        "NOTIFIER_SEND_RATE": "5000",
        "NOTIFIER_ACCOUNT_WAIT_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }


def _spawn(module: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", module], env=env, stdout=subprocess.DEVNULL)


async def _answering(url: str) -> None:
    async def up() -> bool:
        try:
            async with httpx.AsyncClient(timeout=2) as http:
                return (await http.get(url)).status_code == 200
        except httpx.TransportError:
            return False

    await wait_until(up, 120, "starting")


async def _check_once_each(sim_port: int, n: int) -> None:
    """A figure is worth nothing if a notice went twice or not at all."""
    async with httpx.AsyncClient(timeout=120) as http:
        messages = (await http.get(f"http://127.0.0.1:{sim_port}/_sim/messages")).json()
    keys = {m["idempotency_key"] for m in messages}
    if len(keys) != n or len(messages) != n:
        raise RuntimeError(f"{len(messages)} messages ({len(keys)} keys) for {n} notices")


def _pin(i: int) -> str:
    return "".join(ALPHABET[(i // len(ALPHABET) ** k) % len(ALPHABET)] for k in range(7))


def _person(i: int) -> PersonRecord:
    return PersonRecord(
        pin=_pin(i),
        given_name="Leyla",
        surname="Məmmədova",
        birth_date=date(1990, 1, 1),
        sex="F",
        phone=f"+99450{i:07d}",
    )


def _grant(i: int) -> BenefitDecided:
    return BenefitDecided(
        decision_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-sms-{i}")),
        case_id=f"B3:bench-{i}",
        benefit="B3",
        outcome="assigned",
        decided_on=date(2026, 3, 2),
        recipient=Recipient(
            pin=_pin(i),
            full_name="Leyla Məmmədova",
            birth_date=date(1990, 1, 1),
            phone=f"+99450{i:07d}",
        ),
        amount=Decimal("350.00"),
        rule_version="bench/1",
        parameters={},
        facts={},
        reason="bench",
    )


async def _publish(bootstrap: str, topics: Mapping[str, str], n: int) -> None:
    hasher, producer = PinHasher(DEV_PIN_HMAC_KEY), idempotent_producer(bootstrap, "bench-sms")
    await producer.start()
    try:
        futures: list[Any] = []
        feed: list[tuple[PersonRecord | BenefitDecided, str]] = [
            *((_person(i), _pin(i)) for i in range(n)),
            *((_grant(i), _pin(i)) for i in range(n)),
        ]
        for payload, pin in feed:
            event = payload.to_cloudevent("/bench", datetime.now(BAKU), None)
            futures.append(
                await producer.send(
                    topics[payload.TOPIC],
                    value=event.value(),
                    key=hasher.kafka_key(pin),
                    headers=event.headers(),
                )
            )
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
