"""A call the open circuit refused was never made: the account request's retry does not
count it, so the backoff of its next real failure does not grow for it; a call that was
made and failed counts (on real PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest_asyncio
from bank_gateway.adapters.stores import Stores
from bank_gateway.adapters.tables import gateway_tables
from benefits_shared.db.migrations import migrate
from benefits_shared.pin import PinHasher
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from gateway_decisions import recipient
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

HASHER = PinHasher(DEV_PIN_HMAC_KEY)
DUE_AGAIN = datetime(2020, 1, 1, tzinfo=UTC)  # due again at once


@pytest_asyncio.fixture
async def gateway(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> tuple[async_sessionmaker[AsyncSession], Stores]:
    """The gateway's sessions and stores over a migrated schema of its own."""
    await migrate(database_url, "bank_gateway.migrations", fresh_schema)
    sessions = async_sessionmaker(db_engine, expire_on_commit=False)
    return sessions, Stores.over(gateway_tables(fresh_schema), HASHER, timedelta(minutes=1))


async def test_a_call_the_open_circuit_refused_is_not_counted_as_an_attempt(
    gateway: tuple[async_sessionmaker[AsyncSession], Stores],
) -> None:
    sessions, st = gateway
    person = recipient(1)
    async with sessions.begin() as s:
        await st.accounts.request(s, {HASHER.digest(person.pin): (person, "decision-1")})

    async def fail(made: bool) -> int:
        """Claim the request (its attempt counted), record a failure; the attempts claimed."""
        async with sessions.begin() as s:
            (claimed,) = await st.accounts.claim_due(s, 1)
            await st.accounts.retry_at(s, claimed.person_key, DUE_AGAIN, "failed", made)
        return int(claimed.attempts)

    assert await fail(made=False) == 1
    assert await fail(made=True) == 1  # the refused call did not count
    assert await fail(made=True) == 2


async def test_requests_claimed_ahead_and_given_back_are_due_at_once_uncounted(
    gateway: tuple[async_sessionmaker[AsyncSession], Stores],
) -> None:
    sessions, st = gateway
    people = {
        HASHER.digest(p.pin): (p, f"decision-{i}") for i, p in enumerate(map(recipient, range(3)))
    }
    async with sessions.begin() as s:
        await st.accounts.request(s, people)
    async with sessions.begin() as s:
        claimed = await st.accounts.claim_due(s, 3)
        assert len(claimed) == 3 and await st.accounts.claim_due(s, 3) == []  # leased
    async with sessions.begin() as s:
        await st.accounts.give_back(s, [r.person_key for r in claimed[1:]])
    async with sessions.begin() as s:
        again = await st.accounts.claim_due(s, 3)
    assert sorted(r.person_key for r in again) == sorted(r.person_key for r in claimed[1:])
    assert [r.attempts for r in again] == [1, 1]  # the claim given back did not count
