"""The set-based batch handler on real PostgreSQL, in-process: a batch decides what
applying its events one by one decided, and a batch delivered again decides nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
import pytest_asyncio
from benefits_shared.clock import BAKU
from benefits_shared.contracts import Contract
from benefits_shared.contracts.life_events import RecordCorrected
from benefits_shared.contracts.payments import PaymentSettled
from benefits_shared.contracts.progress import everything_known
from benefits_shared.db.migrations import migrate
from benefits_shared.doorbell import Doorbell
from benefits_shared.kafka.consumer_loop import Delivery
from benefits_shared.service_runtime import Received
from eligibility_engine.adapters.tables import engine_tables
from eligibility_engine.decision_ids import disability_case
from eligibility_engine.entrypoints.event_handler import EventHandler
from eligibility_engine.parameters import Parameters
from engine_rig import HASHER
from engine_scenario import birth, certificate, death, person, tick
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

MUM, OTHER_MUM, KID, HOLDER = "5XH81PZ", "6YJ92QA", "7KQ2M9A", "4RT7Y2K"
OTHER_KID, DAD = "7KQ2M9B", "3JK5L7M"


async def new_handler(
    database_url: str, db_engine: AsyncEngine, schema: str, doorbell: Doorbell | None = None
) -> EventHandler:
    """The handler of a freshly migrated ``schema``, before any progress marker."""
    await migrate(database_url, "eligibility_engine.migrations", schema)
    sessions = async_sessionmaker(db_engine, expire_on_commit=False)
    tables, parameters = engine_tables(schema), Parameters.packaged()
    return EventHandler(sessions, tables, HASHER, parameters, "decisions", doorbell)


@pytest_asyncio.fixture
async def handler(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> AsyncIterator[EventHandler]:
    handler = await new_handler(database_url, db_engine, fresh_schema)
    await handler.handle([on(date(2026, 1, 1), m) for m in everything_known(1, 1)])
    yield handler


def on(day: date, payload: Contract) -> Delivery[Received]:
    """``payload`` as an event of ``day`` (noon, Baku)."""
    event = payload.to_cloudevent("/test", datetime.combine(day, time(12), BAKU), None)
    return Delivery(None, Received(event, payload))


async def rows(db: AsyncEngine, schema: str, sql: str) -> list[Any]:
    async with db.connect() as conn:
        return list(await conn.execute(text(sql.replace("{s}", f'"{schema}"'))))


async def b1_decisions(db: AsyncEngine, schema: str) -> list[Any]:
    return await rows(
        db,
        schema,
        "SELECT outcome, decided_on, body FROM {s}.decisions "
        "WHERE case_id LIKE 'B1:%' ORDER BY position",
    )


async def test_a_record_read_before_the_case_it_touches_still_moves_it_to_its_day(
    handler: EventHandler, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    """The mother's record (of 2026) is read before the birth (of 2024): it touched no
    case then, but the case is decided on her record's day, as in the other order (the
    next test; ADR 0005, amended 2026-12-05)."""
    born = date(2024, 5, 1)
    await handler.handle([on(date(2026, 1, 1), person(MUM, date(1994, 7, 12))[0])])
    await handler.handle([on(born, birth(1, "B-1", KID, born, MUM)[0])])
    [(outcome, decided_on, _)] = await b1_decisions(db_engine, fresh_schema)
    assert (outcome, decided_on) == ("assigned", date(2026, 1, 1))


async def test_a_record_that_comes_after_the_child_touches_it_on_its_own_day(
    handler: EventHandler, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    born = date(2024, 5, 1)
    await handler.handle(
        [
            on(born, birth(1, "B-1", KID, born, MUM)[0]),
            on(date(2026, 1, 1), person(MUM, date(1994, 7, 12))[0]),
        ]
    )
    [(outcome, decided_on, _)] = await b1_decisions(db_engine, fresh_schema)
    assert (outcome, decided_on) == ("assigned", date(2026, 1, 1))


async def test_a_correction_in_the_batch_of_its_record_is_folded_in(
    handler: EventHandler, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    born = date(2024, 5, 1)
    correction = RecordCorrected(
        record_no="C-1",
        seq=2,
        registered_at=datetime.combine(born, time(15), BAKU),
        corrects="B-1",
        changes={"mother_pin": OTHER_MUM},
    )
    await handler.handle(
        [
            on(born, correction),  # before its record: kept, folded in when the record comes
            on(born, birth(1, "B-1", KID, born, MUM)[0]),
            on(born, person(MUM, date(1994, 7, 12))[0]),
            on(born, person(OTHER_MUM, date(1990, 2, 2))[0]),
        ]
    )
    [(mother, corrections)] = await rows(
        db_engine, fresh_schema, "SELECT mother_pin, corrections FROM {s}.births"
    )
    assert (mother, corrections) == (OTHER_MUM, ["C-1"])
    [(outcome, _, body)] = await b1_decisions(db_engine, fresh_schema)
    assert (outcome, body["recipient"]["pin"]) == ("assigned", OTHER_MUM)


async def test_a_tick_ends_an_allowance_and_a_payment_of_the_same_batch_counts(
    handler: EventHandler, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    start, until = date(2026, 3, 10), date(2027, 3, 10)
    await handler.handle(
        [
            on(start, person(HOLDER, date(1980, 5, 5), "M")[0]),
            on(start, certificate("MSE-1", HOLDER, "II", start, until)[0]),
        ]
    )
    paid = PaymentSettled(
        payment_id="P-1",
        decision_id="d",
        case_id=disability_case("MSE-1"),
        recipient_pin=HOLDER,
        amount=Decimal("240.00"),
        period_start=date(2027, 3, 1),
        period_end=date(2027, 3, 9),
    )
    await handler.handle(
        [on(date(2027, 3, 11), paid), on(date(2027, 3, 11), tick(date(2027, 3, 11))[0])]
    )
    decided = await rows(
        db_engine, fresh_schema, "SELECT outcome, decided_on FROM {s}.decisions ORDER BY position"
    )
    assert decided == [("assigned", start), ("ended", date(2027, 3, 11))]
    [(state, paid_through)] = await rows(
        db_engine, fresh_schema, "SELECT last_outcome, paid_through FROM {s}.cases"
    )
    assert (state, paid_through) == ("ended", date(2027, 3, 9))


async def test_a_batch_delivered_again_decides_and_queues_nothing(
    handler: EventHandler, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    born = date(2025, 8, 1)
    batch = [
        on(born, person(MUM, date(1994, 7, 12))[0]),
        on(born, birth(1, "B-1", KID, born, MUM)[0]),
    ]
    await handler.handle(batch)
    await handler.handle(batch)
    count = "SELECT (SELECT count(*) FROM {s}.decisions), (SELECT count(*) FROM {s}.outbox)"
    assert await rows(db_engine, fresh_schema, count) == [(1, 1)]


async def test_an_allowance_first_decided_after_its_last_day_is_assigned_then_ended(
    handler: EventHandler, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    # Held, or its record came late: its days are due (assigned) and it is over (ended),
    # both at once, as no later tick would otherwise end it.
    today, start, until = date(2027, 4, 1), date(2026, 3, 10), date(2027, 3, 10)
    await handler.handle([on(today, tick(today)[0])])
    await handler.handle(
        [
            on(start, person(HOLDER, date(1980, 5, 5), "M")[0]),
            on(start, certificate("MSE-1", HOLDER, "II", start, until)[0]),
        ]
    )
    decided = await rows(
        db_engine, fresh_schema, "SELECT outcome, decided_on FROM {s}.decisions ORDER BY position"
    )
    assert decided == [("assigned", today), ("ended", today)]
    [(state,)] = await rows(db_engine, fresh_schema, "SELECT last_outcome FROM {s}.cases")
    assert state == "ended"


@pytest.mark.parametrize("tick_first", [False, True], ids=["death-then-tick", "tick-then-death"])
async def test_a_one_time_grant_is_decided_on_its_records_day_whenever_the_tick_is_read(
    handler: EventHandler, db_engine: AsyncEngine, fresh_schema: str, tick_first: bool
) -> None:
    """The informant turns 18 between the death's arrival and a later tick: the allowance
    is decided on the day the death reached Kafka, so it is unresolved in either order.
    Decided on the tick's day when the tick was read first, it was assigned (ADR 0005)."""
    died, later = date(2026, 3, 1), date(2026, 4, 1)
    young, granny = "8LM3N4P", "2BC4D6F"
    records = [
        on(died, person(young, date(2008, 3, 15))[0]),
        on(died, person(granny, date(1950, 2, 2))[0]),
        on(died, death(1, "D-1", granny, died, young)[0]),
    ]
    clock = [on(later, tick(later)[0])]
    for batch in [clock, records] if tick_first else [records, clock]:
        await handler.handle(batch)
    decided = await rows(
        db_engine,
        fresh_schema,
        "SELECT outcome, decided_on FROM {s}.decisions WHERE case_id LIKE 'B3:%'",
    )
    assert decided == [("unresolved", died)]


@pytest.mark.parametrize("younger_first", [False, True], ids=["in-order", "younger-first"])
async def test_a_younger_half_siblings_birth_decides_the_older_ones_grant_in_either_order(
    handler: EventHandler, db_engine: AsyncEngine, fresh_schema: str, younger_first: bool
) -> None:
    """The older child's mother died between the two births (as her registry record
    says). The younger half-sibling's birth (the same father) touches the older one's
    case on its later day, when the mother is dead: the father receives, whether that
    birth is read after the older one's or, from another partition, before it."""
    older, younger = date(2024, 5, 1), date(2025, 8, 1)
    people = [
        on(date(2020, 1, 1), person(MUM, date(1994, 7, 12), date_of_death=date(2025, 1, 1))[0]),
        on(date(2020, 1, 1), person(DAD, date(1990, 1, 3), "M")[0]),
        on(date(2020, 1, 1), person(OTHER_MUM, date(1995, 2, 2))[0]),
    ]
    first = [on(older, birth(1, "B-1", KID, older, MUM, DAD)[0])]
    second = [on(younger, birth(2, "B-2", OTHER_KID, younger, OTHER_MUM, DAD)[0])]
    for batch in [people, *([second, first] if younger_first else [first, second])]:
        await handler.handle(batch)
    last = await rows(
        db_engine,
        fresh_schema,
        "SELECT d.body->'recipient'->>'pin', d.decided_on FROM {s}.decisions d "
        "JOIN {s}.cases c ON c.case_id = d.case_id "
        "WHERE c.subject = '" + KID + "' ORDER BY d.position DESC LIMIT 1",
    )
    assert last == [(DAD, younger)]


async def test_an_informants_later_record_read_first_moves_the_funeral_allowance(
    handler: EventHandler, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    """The informant is 17 on the day of the death and 18 on the day of their record,
    which is read first: the allowance is decided on the later day, so it is assigned, as
    it is when the record comes after the death."""
    died, later = date(2026, 3, 1), date(2026, 4, 1)
    young, granny = "8LM3N4P", "2BC4D6F"
    await handler.handle([on(later, person(young, date(2008, 3, 15))[0])])
    await handler.handle(
        [
            on(died, person(granny, date(1950, 2, 2))[0]),
            on(died, death(1, "D-1", granny, died, young)[0]),
        ]
    )
    decided = await rows(
        db_engine,
        fresh_schema,
        "SELECT outcome, decided_on FROM {s}.decisions WHERE case_id LIKE 'B3:%'",
    )
    assert decided == [("assigned", later)]
