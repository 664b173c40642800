"""Cases held until the engine's copy of the registries is complete are decided in slices
once a marker covers them (ADR 0028): the marker's batch decides the first slice, the
releaser the rest, a transaction each, every case once, on real PostgreSQL, in-process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
import pytest_asyncio
from benefits_shared.contracts.progress import everything_known
from benefits_shared.doorbell import Doorbell
from eligibility_engine.entrypoints.event_handler import EventHandler
from eligibility_engine.entrypoints.waiting_release import WaitingReleaser
from engine_scenario import birth, person
from prometheus_client import REGISTRY
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from test_batch_handler import new_handler, on, rows

MOTHERS = [f"{n}MQ{n:02d}Z9"[:7] for n in range(1, 12)]
BORN = date(2025, 9, 1)
SLICE = 4


class CountedDoorbell(Doorbell):
    def __init__(self) -> None:
        super().__init__()
        self.rings: list[None] = []

    def ring(self) -> None:
        self.rings.append(None)
        super().ring()


@pytest.fixture
def doorbell() -> CountedDoorbell:
    return CountedDoorbell()


@pytest_asyncio.fixture
async def handler(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str, doorbell: CountedDoorbell
) -> AsyncIterator[EventHandler]:
    """A handler that has not seen a marker yet, releasing four cases at a time."""
    handler = await new_handler(database_url, db_engine, fresh_schema, doorbell)
    handler.release_at_once = SLICE
    yield handler


async def hold_eleven_births(handler: EventHandler) -> None:
    """Eleven mothers and a child each, before the copy is known complete: all wait."""
    batch = [on(BORN, person(m, date(1994, 7, 12))[0]) for m in MOTHERS]
    batch += [
        on(BORN, birth(n, f"B-{n}", f"{n}KD{n:02d}X7"[:7], BORN, m)[0])
        for n, m in enumerate(MOTHERS, start=1)
    ]
    await handler.handle(batch)


async def counts(db: AsyncEngine, schema: str) -> tuple[int, int, int]:
    """(waiting cases, decisions, distinct decided cases)."""
    [row] = await rows(
        db,
        schema,
        "SELECT (SELECT count(*) FROM {s}.pending_cases), (SELECT count(*) FROM {s}.decisions),"
        " (SELECT count(DISTINCT case_id) FROM {s}.decisions)",
    )
    return tuple(row)  # type: ignore[return-value]


def markers() -> list[Any]:
    return [on(date(2026, 1, 1), m) for m in everything_known(1, 1)]


async def test_a_marker_decides_a_slice_and_the_rest_is_decided_a_slice_at_a_time_once(
    handler: EventHandler, db_engine: AsyncEngine, fresh_schema: str, doorbell: CountedDoorbell
) -> None:
    rings = doorbell.rings
    await hold_eleven_births(handler)
    assert await counts(db_engine, fresh_schema) == (11, 0, 0)

    await handler.handle(markers())
    assert await counts(db_engine, fresh_schema) == (7, 4, 4)
    assert len(rings) == 1  # after the commit: the rest is the releaser's

    after = await handler.release_waiting()
    assert after is not None and await counts(db_engine, fresh_schema) == (3, 8, 8)
    assert await handler.release_waiting(after) is None  # the last, short slice
    assert await counts(db_engine, fresh_schema) == (0, 11, 11)

    # Nothing is decided twice: not by another pass, not by the markers again.
    assert await handler.release_waiting() is None
    await handler.handle(markers())
    assert await counts(db_engine, fresh_schema) == (0, 11, 11)
    decided = await rows(db_engine, fresh_schema, "SELECT outcome, decided_on FROM {s}.decisions")
    assert set(decided) == {("assigned", BORN)}
    assert len(rings) == 1


async def test_the_releaser_goes_on_at_the_ring_and_when_it_starts(
    handler: EventHandler, db_engine: AsyncEngine, fresh_schema: str, doorbell: CountedDoorbell
) -> None:
    # A marker's batch committed and its process died before the rest: held cases covered.
    await hold_eleven_births(handler)
    await handler.handle(markers())
    assert await counts(db_engine, fresh_schema) == (7, 4, 4)

    releaser = WaitingReleaser(handler, doorbell, every_s=3600)  # no periodic pass within the test
    running = asyncio.create_task(releaser.run())
    try:
        await until(lambda: counts(db_engine, fresh_schema), (0, 11, 11))  # its first pass

        # Later births wait again; a marker's batch decides four and rings for the rest.
        more = [f"{n}MR{n:02d}Y8"[:7] for n in range(1, 10)]
        batch = [on(BORN, person(m, date(1995, 3, 3))[0]) for m in more]
        batch += [
            on(BORN, birth(100 + n, f"B-{100 + n}", f"{n}KE{n:02d}W6"[:7], BORN, m)[0])
            for n, m in enumerate(more, start=1)
        ]
        await forget_markers(db_engine, fresh_schema)
        await handler.handle(batch)
        assert await counts(db_engine, fresh_schema) == (9, 11, 11)
        await handler.handle(markers())
        await until(lambda: counts(db_engine, fresh_schema), (0, 20, 20))
    finally:
        releaser.stop()
        await asyncio.wait_for(running, 10)


async def forget_markers(db: AsyncEngine, schema: str) -> None:
    """The copy no longer known complete (as when a new partition has no marker yet)."""
    async with db.begin() as conn:
        await conn.execute(text(f'DELETE FROM "{schema}".knowledge'))


async def until(read: Any, expected: Any, timeout: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while (seen := await read()) != expected:
        assert asyncio.get_running_loop().time() < deadline, f"{seen} is not {expected}"
        await asyncio.sleep(0.05)


async def gauged(*names: str) -> dict[str, float | None]:
    """What the engine's gauges of the waiting cases say now (``oldest``: its age gauge)."""
    read = REGISTRY.get_sample_value
    return {
        n: read("engine_cases_waiting_oldest_seconds")
        if n == "oldest"
        else read("engine_cases_waiting", {"waiting_for": n})
        for n in names
    }


async def test_ops_sees_how_many_cases_wait_for_which_copy_and_for_how_long(
    handler: EventHandler, db_engine: AsyncEngine, fresh_schema: str, doorbell: CountedDoorbell
) -> None:
    every = ("any", "population", "civil", "mse")
    await hold_eleven_births(handler)
    async with db_engine.begin() as conn:  # held a minute ago
        await conn.execute(
            text(f"UPDATE \"{fresh_schema}\".pending_cases SET since = now() - interval '1 minute'")
        )
    releaser = WaitingReleaser(handler, doorbell, every_s=3600)
    running = asyncio.create_task(releaser.run())
    try:
        # Births wait for the population copy and the civil feed, none for the MSE folder.
        await until(lambda: gauged(*every), dict(zip(every, (11, 11, 11, 0), strict=True)))
        assert 60 <= ((await gauged("oldest"))["oldest"] or 0) < 120
        # The civil feed known complete: they wait for the population copy alone.
        civil = [m for m in everything_known(1, 1) if m.NAME == "civil-feed-progress"]
        await handler.handle([on(date(2026, 1, 1), m) for m in civil])
        doorbell.ring()
        await until(lambda: gauged(*every), dict(zip(every, (11, 11, 0, 0), strict=True)))
        # Everything known: the marker's batch decides four, the releaser the rest.
        await handler.handle(markers())
        await until(lambda: gauged(*every, "oldest"), dict.fromkeys((*every, "oldest"), 0))
    finally:
        releaser.stop()
        await asyncio.wait_for(running, 10)
