"""How fast the gateway pays: grants settled per second through the bank simulator.

``measure(n)`` runs, on the local Kafka and PostgreSQL, a real gateway process and a real
simulator process (no faults, immediate settlement): it publishes ``n`` B1 grant
decisions, each to another person, and times from the gateway's start until every grant
is settled in its tables (accounts opened, pain.001 documents sent, pain.002 read). The
baseline, measured in the same run on a fresh simulator, is a bare client doing the same
bank work with nothing around it: ``n`` account requests at the same concurrency, then
pre-built documents of the same size posted and read until settled. The ratio says what
the gateway's durability (state recorded before and after every call, outbox, Kafka)
costs against the bank's own speed.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path

import httpx
from benefits_shared.clock import BAKU
from benefits_shared.contracts.decisions import BenefitDecided, Recipient
from benefits_shared.http_transport import AiohttpTransport
from benefits_shared.settings import LOCAL_DATABASE_URL, LOCAL_KAFKA
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bank_gateway.adapters.tables import gateway_tables
from bank_gateway.bench_rig import (
    Simulator,
    fresh_topics,
    gateway_env,
    publish,
    start_gateway,
    start_simulator,
)
from bank_gateway.bootstrap import STARTED
from bank_gateway.ids import end_to_end_id, payment_id
from bank_gateway.pain001 import CreditTransfer, Debtor, PaymentBatch, build_pain001
from bank_gateway.pain002 import parse_pain002

PIN_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
AMOUNT = Decimal("250.00")
DEBTOR = Debtor("Social Benefits Agency", "AZ21NABZ00000000137010001944", "NABZAZ2X")
LIMIT_SECONDS = 3600


def measure(
    n: int,
    *,
    kafka_bootstrap: str = LOCAL_KAFKA,
    database_url: str = LOCAL_DATABASE_URL,
    workdir: Path | None = None,
    document_size: int = 1000,
    concurrency: int = 4,
) -> dict[str, float]:
    """The gateway's settled grants per second for ``n`` grants, and the baseline's."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = workdir or Path(scratch)
        gateway = asyncio.run(
            _through_gateway(n, kafka_bootstrap, database_url, folder, document_size, concurrency)
        )
        baseline, accepting = asyncio.run(_bare_client(n, folder, document_size, concurrency))
    return {
        "grants": float(n),
        "gateway_seconds": gateway,
        "gateway_settled_per_second": n / gateway,
        "baseline_seconds": baseline,
        "baseline_settled_per_second": n / baseline,
        "baseline_acceptance_transfers_per_second": accepting,
        "gateway_vs_baseline": baseline / gateway,
    }


def person(i: int) -> Recipient:
    pin = "".join(PIN_ALPHABET[(i // len(PIN_ALPHABET) ** k) % len(PIN_ALPHABET)] for k in range(7))
    return Recipient(
        pin=pin, full_name=f"Aysel Məmmədova {i}", birth_date=date(1990, 1, 1), phone=None
    )


def grant(i: int) -> BenefitDecided:
    return BenefitDecided(
        decision_id=f"bench-{i}",
        case_id=f"B1:bench-{i}",
        benefit="B1",
        outcome="assigned",
        decided_on=date(2026, 1, 5),
        recipient=person(i),
        amount=AMOUNT,
        rule_version="bench/1",
        parameters={},
        facts={},
        reason="bench",
    )


async def _through_gateway(
    n: int, bootstrap: str, database_url: str, folder: Path, size: int, concurrency: int
) -> float:
    settings = {
        "GATEWAY_DOCUMENT_SIZE": str(size),
        "GATEWAY_CONCURRENCY": str(concurrency),
        "GATEWAY_STATUS_POLL_SECONDS": "0.5",
    }
    return await _timed_gateway(
        n,
        (bootstrap, database_url, folder),
        settings,
        {"settlement_delay_seconds": 0},
        _all_settled,
        lambda bank: _check_paid_once(bank.credits(), n),
    )


#: Issue #12's partner faults: 10% 5xx, 5% time-outs after the work that hang 35 s, 5% 429.
BANK_FAULTS = {
    "error_rate": 0.10,
    "timeout_rate": 0.05,
    "timeout_hold_seconds": 35,
    "rate_limited_rate": 0.05,
}


def accounts_per_second(
    n: int,
    faults: Mapping[str, object],
    *,
    kafka_bootstrap: str = LOCAL_KAFKA,
    database_url: str = LOCAL_DATABASE_URL,
) -> float:
    """Accounts opened per second for ``n`` grants (each another person), bank ``faults`` on.

    Timed from the gateway's start until every account is open; the simulator must hold
    exactly ``n`` accounts (one per person, whatever the retries).
    """
    with tempfile.TemporaryDirectory() as scratch:
        seconds = asyncio.run(
            _timed_gateway(
                n,
                (kafka_bootstrap, database_url, Path(scratch)),
                {},
                dict(faults),
                _all_open,
                lambda bank: _check_one_account_each(bank.accounts(), n),
            )
        )
    return n / seconds


async def _timed_gateway(
    n: int,
    where: tuple[str, str, Path],
    settings: Mapping[str, str],
    bank_settings: Mapping[str, object],
    done: Callable[[AsyncEngine, str, int], Awaitable[bool]],
    check: Callable[[Simulator], None],
) -> float:
    """Seconds from a gateway's start until ``done`` for ``n`` published grants."""
    bootstrap, database_url, folder = where
    bank = start_simulator(folder, **bank_settings)
    schema, engine = f"bench_gw_{uuid.uuid4().hex[:8]}", create_async_engine(database_url)
    try:
        async with fresh_topics(bootstrap, schema) as topics:
            grants = [(g, g.case_id.encode()) for g in map(grant, range(n))]
            await publish(bootstrap, topics, grants)
            env = gateway_env(bootstrap, database_url, schema, topics, bank.url, LOG_LEVEL="INFO")
            log = folder / f"{schema}.log"
            process = start_gateway({**env, **settings}, log=log)
            try:
                await _until(lambda: _started(log), 0.05)
                began = time.monotonic()
                await _until(lambda: done(engine, schema, n), 0.2)
                elapsed = time.monotonic() - began
                check(bank)
                return elapsed
            finally:
                process.terminate()
                process.wait(timeout=60)
    finally:
        bank.stop()
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await engine.dispose()


async def _until(check: Callable[[], Awaitable[bool]], every: float) -> None:
    """Polls ``check`` every ``every`` s or every hundredth of the time so far, whichever
    is longer: each poll counts rows of a 100,000-row table on the PostgreSQL being
    measured, and every 0.2 s that was a tenth of its time."""
    began = time.monotonic()
    deadline = began + LIMIT_SECONDS
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not done in {LIMIT_SECONDS}s")
        await asyncio.sleep(max(every, (time.monotonic() - began) / 100))


async def _started(log: Path) -> bool:
    return await asyncio.to_thread(lambda: log.exists() and STARTED in log.read_text())


async def _all_settled(engine: AsyncEngine, schema: str, n: int) -> bool:
    payments = gateway_tables(schema).payments
    query = select(func.count()).where(payments.c.state == "settled")
    async with engine.connect() as conn:
        return int((await conn.execute(query)).scalar_one()) >= n


async def _all_open(engine: AsyncEngine, schema: str, n: int) -> bool:
    accounts = gateway_tables(schema).accounts
    query = select(func.count()).where(accounts.c.state == "open")
    async with engine.connect() as conn:
        return int((await conn.execute(query)).scalar_one()) >= n


def _check_one_account_each(accounts: Sequence[dict[str, object]], n: int) -> None:
    if len({a["pin"] for a in accounts}) != n or len(accounts) != n:
        raise RuntimeError(f"{len(accounts)} accounts at the bank for {n} persons")


async def _settled_at_bank(http: httpx.AsyncClient, msg_id: str) -> bool:
    report = parse_pain002((await http.get(f"/v1/payments/{msg_id}/status")).content, msg_id)
    return all(t.outcome != "pending" for t in report.transactions.values())


def _check_paid_once(credits: Sequence[dict[str, object]], n: int) -> None:
    """A figure is worth nothing if the money did not move once per grant."""
    if len({c["end_to_end_id"] for c in credits}) != n or len(credits) != n:
        raise RuntimeError(f"{len(credits)} credits at the bank for {n} grants")


async def _bare_client(n: int, folder: Path, size: int, concurrency: int) -> tuple[float, float]:
    """Seconds for the same bank work by a bare client; transfers accepted per second."""
    bank = start_simulator(folder, settlement_delay_seconds=0)
    try:
        # the gateway's own transport: the baseline is the bank's speed, not httpx's
        transport = AiohttpTransport()
        async with httpx.AsyncClient(base_url=bank.url, timeout=60, transport=transport) as http:
            began = time.monotonic()
            ibans = await _open_accounts(http, n, concurrency)
            opened = time.monotonic() - began
            documents = _documents(ibans, size)  # built before the clock runs again
            began = time.monotonic()
            for msg_id, document in documents:
                headers = {"Idempotency-Key": msg_id, "Content-Type": "application/xml"}
                (
                    await http.post("/v1/payments", content=document, headers=headers)
                ).raise_for_status()
            accepted = time.monotonic() - began
            for msg_id, _ in documents:
                await _until(partial(_settled_at_bank, http, msg_id), 0.05)
            return opened + time.monotonic() - began, n / accepted
    finally:
        bank.stop()


async def _open_accounts(http: httpx.AsyncClient, n: int, concurrency: int) -> list[str]:
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int) -> str:
        body = person(i).model_dump(mode="json", exclude={"language"})
        async with gate:
            answer = await http.post(
                "/v1/accounts", json=body, headers={"Idempotency-Key": f"a{i}"}
            )
        answer.raise_for_status()
        return str(answer.json()["iban"])

    return list(await asyncio.gather(*(one(i) for i in range(n))))


def _documents(ibans: Sequence[str], size: int) -> list[tuple[str, bytes]]:
    now = datetime.now(BAKU)
    out = []
    for start in range(0, len(ibans), size):
        transfers = tuple(
            CreditTransfer(
                end_to_end_id(payment_id(f"B1:bench-{i}")),
                f"Aysel {i}",
                iban,
                AMOUNT,
                "Birth grant",
            )
            for i, iban in enumerate(ibans[start : start + size], start)
        )
        msg_id = f"BENCH{start:09d}"
        out.append(
            (msg_id, build_pain001(PaymentBatch(msg_id, now, now.date(), transfers), DEBTOR))
        )
    return out
