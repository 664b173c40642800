"""The projection killed with SIGKILL while it reads a backlog, then restarted: every event
is projected exactly once (offsets are committed after the rows, and a re-delivered record
hits the unique constraints)."""

from __future__ import annotations

from datetime import date

import pytest
from benefits_shared.contracts.persons import PersonRecord
from ops_rig import OpsRig, eventually
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

pytestmark = pytest.mark.asyncio(loop_scope="session")
ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PERSONS = 3000


def pin(n: int) -> str:
    digits = []
    for _ in range(7):
        n, d = divmod(n, len(ALPHABET))
        digits.append(ALPHABET[d])
    return "".join(digits)


async def test_a_killed_projection_resumes_and_keeps_each_event_once(rig: OpsRig) -> None:
    people = [
        PersonRecord(
            pin=pin(1_000_003 + 7919 * i),
            given_name="Test",
            surname=f"Person{i}",
            birth_date=date(1990, 1, 1),
            sex="F",
        )
        for i in range(PERSONS)
    ]
    engine = create_async_engine(rig.database_url)

    async def projected() -> tuple[int, int]:
        async with engine.connect() as conn:
            row = (
                await conn.execute(
                    text(f'SELECT count(*), count(DISTINCT ce_id) FROM "{rig.schema}".events')
                )
            ).one()
        return int(row[0]), int(row[1])

    try:
        rig.kill()  # a backlog builds while it is down
        await rig.publish([(p, p.pin) for p in people])
        await rig.restart()

        async def started() -> bool:
            return (await projected())[0] > 0

        await eventually(started, "the projection has begun")
        rig.kill()
        at_kill = (await projected())[0]
        await rig.restart()

        async def complete() -> bool:
            return (await projected())[0] >= PERSONS

        await eventually(complete, "every event is projected", seconds=180)
        assert await projected() == (PERSONS, PERSONS)
        assert at_kill < PERSONS  # the kill did land mid-backlog
    finally:
        await engine.dispose()
