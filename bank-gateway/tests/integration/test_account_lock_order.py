"""Transactions that write several accounts take them in key order (ADR 35), on real
PostgreSQL: a consumer's batch that asks for payments of two payees (a grant, then an
allowance) and the account lane writing the outcomes of the same two accounts wait for
each other instead of deadlocking. Before, the batch locked each payee's account when
its payments were asked for, in the order of its cases, and the lane its opened accounts
before the others: under partner faults PostgreSQL found such deadlocks and one side
was retried."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from typing import cast

from bank_gateway.account_requests import AccountRequests
from bank_gateway.adapters.account_store import AccountRequest
from bank_gateway.adapters.bank_client import BankClient, OpenedAccount
from bank_gateway.adapters.stores import Stores
from bank_gateway.adapters.tables import gateway_tables
from bank_gateway.bank_calls import BankCalls
from bank_gateway.case_updates import CaseUpdates
from bank_gateway.entrypoints.event_handler import EventHandler
from bank_gateway.errors import BankRefused
from bank_gateway.payment_events import PaymentEvents
from bank_gateway.payroll_run import PayrollRun
from benefits_shared.clock import BAKU, FixedClock
from benefits_shared.cloudevents import deterministic_id
from benefits_shared.contracts import Contract
from benefits_shared.contracts.clock import DayStarted
from benefits_shared.db.migrations import migrate
from benefits_shared.pin import PinHasher
from benefits_shared.retry_policies import RetryPolicy
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from gateway_decisions import IBAN, allowance, grant, on, recipient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker

HASHER = PinHasher(DEV_PIN_HMAC_KEY)
LIMIT_SECONDS = 30  # a bound on waiting, not a measurement
START = date(2026, 3, 1)


def key(person: int) -> str:
    return HASHER.digest(recipient(person).pin)


class Gateway:
    """The gateway's consumer (its event handler) and account lane (their outcomes'
    writer), in-process over a fresh schema; two payees ``low`` and ``high`` in their
    accounts' key order, both accounts requested, the low one holding an allowance whose
    March is owed (a payment not sent: no account is open)."""

    def __init__(self, engine: AsyncEngine, schema: str) -> None:
        self.engine, self.schema = engine, schema
        stores = Stores.over(gateway_tables(schema), HASHER, lease=timedelta(minutes=1))
        clock = FixedClock(datetime(2026, 4, 2, 10, tzinfo=BAKU))
        events = PaymentEvents("payments", HASHER, clock, "Bank")
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        updates = CaseUpdates(stores, events, HASHER)
        self.handler = EventHandler(
            self.sessions, stores.tables, updates, PayrollRun(stores, events)
        )
        calls = BankCalls(1, RetryPolicy(0.5, 8.0), clock)
        self.lane = AccountRequests(
            self.sessions, stores, cast(BankClient, None), events, calls, 1.0
        )
        self.low, self.high = sorted((1, 2), key=key)
        self.held = allowance("MSE-1", person=self.low, group="II", start=START)

    async def start(self) -> None:
        granted = grant(1, person=self.high, amount="100.00")
        await self.handler.handle([on(self.held), on(granted)])
        await self.handler.handle([on(DayStarted(day=date(2026, 4, 1)))])  # March owed

    def batch(self, *decisions: Contract) -> asyncio.Task[None]:
        return asyncio.create_task(self.handler.handle([on(d) for d in decisions]))

    def outcomes(self, *answered: tuple[int, OpenedAccount | BankRefused]) -> asyncio.Task[None]:
        async def record() -> None:
            async with self.sessions.begin() as s:
                await self.lane.record(s, [(_request(p), outcome) for p, outcome in answered])

        return asyncio.create_task(record())

    async def hold(self, holder: AsyncConnection, table: str, column: str, value: str) -> None:
        """A third transaction holds the rows where ``column`` is ``value``."""
        query = f'SELECT 1 FROM "{self.schema}".{table} WHERE {column} = :v FOR UPDATE'
        await holder.execute(text(query), {"v": value})

    async def accounts(self) -> dict[str, str]:
        async with self.engine.connect() as conn:
            query = f'SELECT person_key, state FROM "{self.schema}".accounts'
            return {k: v for k, v in (await conn.execute(text(query))).all()}

    async def asks(self, person: int) -> int:
        async with self.engine.connect() as conn:
            query = (
                f'SELECT payment_asks_unseen FROM "{self.schema}".accounts WHERE person_key = :k'
            )
            return int(await conn.scalar(text(query), {"k": key(person)}) or 0)


async def _gateway(database_url: str, engine: AsyncEngine, schema: str) -> Gateway:
    await migrate(database_url, "bank_gateway.migrations", schema)
    g = Gateway(engine, schema)
    await g.start()
    return g


async def _both_commit(*tasks: asyncio.Task[None]) -> None:
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), LIMIT_SECONDS)
    except Exception as failure:  # a deadlock: PostgreSQL cancels one of the two
        raise AssertionError(f"the batch and the lane did not both commit: {failure}") from None


async def test_a_batch_stopped_between_two_asks_and_the_lane_do_not_deadlock(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    g = await _gateway(database_url, db_engine, fresh_schema)
    # The batch: a second grant for the high payee, then the low one's allowance decided
    # again (group I). Its re-planning cancels the unsent March payment first, which a
    # third transaction holds: the batch stops there, between its two payees' asks.
    regrouped = allowance("MSE-1", person=g.low, group="I", start=START).model_copy(
        update={
            "decision_id": str(deterministic_id("test-decision", "regrouped")),
            "supersedes": g.held.decision_id,
        }
    )
    async with db_engine.connect() as holder:
        await g.hold(holder, "payments", "case_id", g.held.case_id)
        batch = g.batch(grant(2, person=g.high, amount="100.00"), regrouped)
        await _waiting(db_engine, 1, batch)  # on the held payment
        # The bank answers both accounts meanwhile: the low one opened, the high refused.
        lane = g.outcomes(
            (g.low, OpenedAccount("acc-low", IBAN, created=True)),
            (g.high, BankRefused(422, "INVALID_PERSON")),
        )
        await _waiting(db_engine, 2, lane)  # on the batch
        await holder.commit()
    await _both_commit(batch, lane)
    assert await g.accounts() == {key(g.low): "open", key(g.high): "failed"}
    assert await g.asks(g.low) > 0  # the re-planned allowance's ask is not lost: payable


async def test_the_lane_stopped_between_two_outcomes_and_a_batch_do_not_deadlock(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    g = await _gateway(database_url, db_engine, fresh_schema)
    async with db_engine.connect() as holder:
        # A third transaction holds the high payee's account: the lane, which writes its
        # opened accounts before the others, stops at it.
        await g.hold(holder, "accounts", "person_key", key(g.high))
        lane = g.outcomes(
            (g.low, BankRefused(422, "INVALID_PERSON")),
            (g.high, OpenedAccount("acc-high", IBAN, created=True)),
        )
        await _waiting(db_engine, 1, lane)
        batch = g.batch(grant(2, person=g.low, amount="50.00"), grant(3, g.high, "50.00"))
        await _waiting(db_engine, 2, batch)
        await holder.commit()  # the lane goes first: it waited first
    await _both_commit(batch, lane)
    assert await g.accounts() == {key(g.low): "failed", key(g.high): "open"}
    assert await g.asks(g.high) > 0  # the grant's ask came after the opening: payable


def _request(person: int) -> AccountRequest:
    return AccountRequest(key(person), f"request-{person}", b"{}", attempts=1)


async def _waiting(engine: AsyncEngine, count: int, task: asyncio.Task[None]) -> None:
    """Until ``count`` sessions wait for a lock (the task must not end first)."""
    query = text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
    async with engine.connect() as conn:
        for _ in range(20 * LIMIT_SECONDS):
            if task.done():
                task.result()
                raise AssertionError("it did not wait")
            waiting = await conn.scalar(query)
            await conn.commit()  # the next read sees the activity anew (a new snapshot)
            if (waiting or 0) >= count:
                return
            await asyncio.sleep(0.05)
    raise AssertionError(f"{count} sessions never waited for a lock")
