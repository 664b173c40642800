"""A commission certificate is decided only once every file the drop folder held when it
arrived has been read (ADR 0008, amended 2026-12-05): a holder's later certificate, still
unread in a backlog of files, must not leave the first decided as if it were the only one.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from benefits_shared.clock import BAKU
from benefits_shared.contracts.progress import MseDropProgress, everything_known
from eligibility_engine.decision_ids import disability_case
from eligibility_engine.entrypoints.event_handler import EventHandler
from engine_scenario import certificate, person, tick
from sqlalchemy.ext.asyncio import AsyncEngine
from test_batch_handler import HOLDER, new_handler, on, rows

TODAY = date(2026, 12, 2)
FIRST_FROM, FIRST_UNTIL = date(2025, 11, 26), date(2026, 11, 25)
SECOND_FROM = date(2026, 7, 22)


def folder_looked_at(day: date, hour: int) -> MseDropProgress:
    """A look at the folder that found every file in it read (``on`` delivers at noon)."""
    at = datetime.combine(day, time(hour), BAKU)
    return MseDropProgress(partition=0, partitions=1, as_of=at)


async def decisions_of(db: AsyncEngine, schema: str, certificate_no: str) -> list[Any]:
    case = disability_case(certificate_no)
    return await rows(
        db,
        schema,
        f"SELECT outcome, body FROM {{s}}.decisions WHERE case_id = '{case}' ORDER BY position",
    )


async def test_a_certificate_waits_for_the_holders_later_certificate_still_in_the_folder(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    handler: EventHandler = await new_handler(database_url, db_engine, fresh_schema)
    others = [m for m in everything_known(1, 1) if not isinstance(m, MseDropProgress)]
    await handler.handle([on(TODAY, m) for m in others])
    await handler.handle([on(TODAY, tick(TODAY)[0])])
    # The first certificate arrives; the folder also holds a later file not read yet.
    await handler.handle(
        [
            on(FIRST_FROM, person(HOLDER, date(1980, 5, 5), "M")[0]),
            on(FIRST_FROM, certificate("MSE-1", HOLDER, "II", FIRST_FROM, FIRST_UNTIL)[0]),
        ]
    )
    assert await decisions_of(db_engine, fresh_schema, "MSE-1") == []
    # A marker from a look made before the certificate arrived releases nothing.
    await handler.handle([on(TODAY, folder_looked_at(FIRST_FROM, 11))])
    assert await decisions_of(db_engine, fresh_schema, "MSE-1") == []
    # The later file is read, then a look finds nothing new: the first certificate is
    # decided once, already knowing it ends the day before the second begins (assigned for
    # its days due and ended at once, as it is over); the second is assigned.
    await handler.handle(
        [
            on(SECOND_FROM, certificate("MSE-2", HOLDER, "II", SECOND_FROM)[0]),
            on(TODAY, folder_looked_at(TODAY, 13)),
        ]
    )
    first = await decisions_of(db_engine, fresh_schema, "MSE-1")
    assert [(o, b["entitlement"]["end"]) for o, b in first] == [
        ("assigned", "2026-07-21"),
        ("ended", "2026-07-21"),
    ]
    second = await decisions_of(db_engine, fresh_schema, "MSE-2")
    assert [(o, b["entitlement"]["end"]) for o, b in second] == [("assigned", None)]
    # Nothing waits any more.
    assert await rows(db_engine, fresh_schema, "SELECT count(*) FROM {s}.pending_cases") == [(0,)]
