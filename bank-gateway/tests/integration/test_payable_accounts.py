"""A cut of documents looks at the payable accounts' payees only (ADR 0022), on real
PostgreSQL: a payment is ready exactly when its payee's account is open, whether it was
asked for before the account opened or after a cut saw the account through; an ask in
flight is never lost, whether a cut or an account's opening comes meanwhile."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from decimal import Decimal

from bank_gateway.adapters.stores import Stores
from bank_gateway.adapters.tables import gateway_tables, payable
from bank_gateway.payments_due import PaymentDue
from benefits_shared.db.migrations import migrate
from benefits_shared.pin import PinHasher
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from gateway_decisions import IBAN, recipient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

HASHER = PinHasher(DEV_PIN_HMAC_KEY)
LEASE = timedelta(minutes=1)
LIMIT_SECONDS = 30  # a bound on waiting, not a measurement


def pid(n: int) -> str:
    return str(uuid.UUID(int=n))


def due(n: int, person: int) -> PaymentDue:
    return PaymentDue(
        pid(n), f"B1:case-{n}", f"decision-{n}", "B1", recipient(person), Decimal("100.00")
    )


class Gateway:
    def __init__(self, engine: AsyncEngine, schema: str) -> None:
        self.engine, self.schema = engine, schema
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.st = Stores.over(gateway_tables(schema), HASHER, LEASE)

    async def ask(self, *payments: PaymentDue) -> None:
        async with self.sessions.begin() as s:
            wanted = {
                HASHER.digest(p.recipient.pin): (p.recipient, p.decision_id) for p in payments
            }
            await self.st.accounts.request(s, wanted)
            await self.st.payments.want(s, list(payments))

    async def open(self, person: int) -> None:
        key = HASHER.digest(recipient(person).pin)
        async with self.sessions.begin() as s:
            await self.st.accounts.opened(s, [{"person_key": key, "account_id": "a", "iban": IBAN}])

    async def seen_through(self, person: int) -> None:
        """Payment 1 asked for ``person``, the account opened, the payment cut: nothing of
        the payee is left to cut, no account is payable."""
        await self.ask(due(1, person))
        await self.open(person)
        assert await self.cut() == [pid(1)]
        assert await self.payable() == 0

    async def cut(self) -> list[str]:
        """What a cut takes (put in a document), then sees through, as ``compose`` does."""
        async with self.sessions.begin() as s:
            return await self._cut(s)

    async def _cut(self, s: AsyncSession) -> list[str]:
        ready = [r["payment_id"] for r in await self.st.payments.ready(s, 100)]
        if ready:
            await self.st.payments.put_in_document(s, "MSG-1", ready)
        await self.st.payments.see_through(s)
        return ready

    async def payable(self) -> int:
        async with self.engine.connect() as conn:
            query = f'SELECT count(*) FROM "{self.schema}".accounts WHERE {payable()}'
            return int(await conn.scalar(text(query)) or 0)


async def gateway(database_url: str, engine: AsyncEngine, schema: str) -> Gateway:
    await migrate(database_url, "bank_gateway.migrations", schema)
    return Gateway(engine, schema)


async def test_a_payment_is_ready_once_its_payees_account_opens_and_not_before(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    g = await gateway(database_url, db_engine, fresh_schema)
    await g.ask(due(1, person=1), due(2, person=2))
    assert await g.cut() == []  # no account open
    await g.open(1)
    assert await g.cut() == [pid(1)]
    assert await g.payable() == 0  # seen through: nothing of person 1 is left to cut
    await g.open(2)
    assert await g.cut() == [pid(2)]


async def test_an_ask_after_the_account_was_seen_through_makes_it_payable_again(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    g = await gateway(database_url, db_engine, fresh_schema)
    await g.seen_through(person=1)
    await g.ask(due(2, person=1))  # a later payment, the account long open
    assert await g.payable() == 1
    assert await g.cut() == [pid(2)]


async def test_a_cut_does_not_wait_for_an_ask_in_flight_and_the_ask_is_not_lost(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    g = await gateway(database_url, db_engine, fresh_schema)
    await g.seen_through(person=1)
    await g.ask(due(2, person=1))
    # An ask in flight: its payment stored and its account asked, not committed yet.
    async with g.sessions.begin() as asking:
        await g.st.payments.want(asking, [due(3, person=1)])
        try:  # takes payment 2 and skips the account the ask holds
            assert await asyncio.wait_for(g.cut(), LIMIT_SECONDS) == [pid(2)]
        except TimeoutError:
            raise AssertionError("the cut waited for the ask") from None
    assert await g.payable() == 1  # payment 3's ask outlived the cut
    assert await g.cut() == [pid(3)]


async def test_an_account_opening_while_a_payment_is_asked_leaves_it_ready(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    g = await gateway(database_url, db_engine, fresh_schema)
    await g.ask(due(1, person=1))  # the account asked for, not open yet
    cut: list[str] = []
    async with g.sessions.begin() as asking:  # a later payment, not committed yet
        backend = int(await asking.scalar(text("SELECT pg_backend_pid()")) or 0)
        await g.st.payments.want(asking, [due(2, person=1)])
        opening = asyncio.create_task(g.open(1))  # the bank answered meanwhile
        if not await _done_or_waiting_on(opening, db_engine, backend):
            cut += await g.cut()  # the account opened: a cut sees it through at once
    await opening
    cut += await g.cut()
    assert sorted(cut) == [pid(1), pid(2)]  # neither payment is left behind


async def _done_or_waiting_on(task: asyncio.Task[None], engine: AsyncEngine, pid: int) -> bool:
    """Until ``task`` is done (False) or waits for a lock backend ``pid`` holds (True)."""
    query = "SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"
    async with engine.connect() as conn:
        for _ in range(20 * LIMIT_SECONDS):
            if task.done():
                return False
            if await conn.scalar(text(query), {"pid": pid}):
                return True
            await asyncio.sleep(0.05)
    raise AssertionError("the opening neither ended nor waited")
