"""A payroll run works a slice of the B2 cases at a time (ADR 29), on real PostgreSQL,
in-process: every holder is paid once for the month whatever the slice, and a run
repeated, by the clock or on demand, finds every day paid."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal

from bank_gateway.adapters.stores import Stores
from bank_gateway.adapters.tables import gateway_tables
from bank_gateway.case_updates import CaseUpdates
from bank_gateway.entrypoints.event_handler import EventHandler
from bank_gateway.payment_events import PaymentEvents
from bank_gateway.payroll_run import PayrollRun
from benefits_shared.clock import BAKU, FixedClock
from benefits_shared.contracts.clock import DayStarted
from benefits_shared.db.migrations import migrate
from benefits_shared.pin import PinHasher
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from gateway_decisions import allowance, on
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

HASHER = PinHasher(DEV_PIN_HMAC_KEY)
HOLDERS = 7
SLICE = 3  # three slices: 3, 3 and the last, short one


async def test_every_holder_is_paid_once_a_slice_at_a_time(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    await migrate(database_url, "bank_gateway.migrations", fresh_schema)
    stores = Stores.over(gateway_tables(fresh_schema), HASHER, lease=timedelta(minutes=1))
    clock = FixedClock(datetime(2026, 4, 2, 10, tzinfo=BAKU))
    events = PaymentEvents("payments", HASHER, clock, "Bank")
    payroll = PayrollRun(stores, events, slice_size=SLICE)
    sessions = async_sessionmaker(db_engine, expire_on_commit=False)
    handler = EventHandler(sessions, stores.tables, CaseUpdates(stores, events, HASHER), payroll)

    holders = [
        allowance(f"MSE-{n}", person=n, group="II", start=date(2026, 3, 1))
        for n in range(1, HOLDERS + 1)
    ]
    await handler.handle([on(d) for d in holders])
    await handler.handle([on(DayStarted(day=date(2026, 4, 1)))])  # the clock runs March

    async def march() -> Counter[str]:
        async with db_engine.connect() as conn:
            rows = await conn.execute(
                text(f'SELECT case_id, amount FROM "{fresh_schema}".payments')
            )
            paid = list(rows)
        assert {amount for _, amount in paid} == {Decimal("240.00")}  # March in full
        return Counter(case_id for case_id, _ in paid)

    assert await march() == Counter({d.case_id: 1 for d in holders})

    # Again by the clock's next day, and on demand: every day is paid, nothing new.
    await handler.handle([on(DayStarted(day=date(2026, 4, 2)))])
    async with sessions.begin() as s:
        await payroll.lock(s)
        again = await payroll.run(s, date(2026, 3, 1), "manual", arrears=False)
    assert (again.payments, again.total) == (0, Decimal(0))
    assert await march() == Counter({d.case_id: 1 for d in holders})
