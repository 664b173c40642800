"""The people whose day counts for a case are exactly the people who touch it.

``case_finder.PEOPLES_DAYS`` reads, per case, the latest day of anyone who touches it:
it must be the inverse of ``FamilyGraph.cases_of_people``, the relation the finder
touches cases by, or a record read before its case would count more, or less, than it
does read after (ADR 0005, amended 2026-12-05). Checked on random families, pin by pin.
"""

from __future__ import annotations

import random
from datetime import date

import pytest
from benefits_shared.contracts import Contract
from benefits_shared.contracts.progress import everything_known
from eligibility_engine.adapters.case_finder import PEOPLES_DAYS
from eligibility_engine.adapters.family_graph import FamilyGraph
from eligibility_engine.adapters.tables import engine_tables
from eligibility_engine.case_keys import CaseKey
from engine_scenario import birth, certificate, death
from sqlalchemy.ext.asyncio import AsyncEngine
from test_batch_handler import new_handler, on, rows

PINS = [f"{n:03d}ABCD" for n in range(14)]
DAY = date(2026, 3, 1)


def world(seed: int) -> list[Contract]:
    """Births, deaths and certificates among a few people, parents shared at random."""
    rng = random.Random(seed)
    records: list[Contract] = []
    children = rng.sample(PINS, 9)
    for seq, child in enumerate(children, start=1):
        mother = rng.choice([None, *[p for p in PINS if p != child]])
        father = rng.choice([None, *[p for p in PINS if p not in (child, mother)]])
        records.append(birth(seq, f"B-{seq}", child, DAY, mother, father)[0])
    for n, deceased in enumerate(rng.sample(PINS, 3), start=20):
        informant = rng.choice([None, *[p for p in PINS if p != deceased]])
        records.append(death(n, f"D-{n}", deceased, DAY, informant)[0])
    for n, holder in enumerate(rng.sample(PINS, 3)):
        records.append(certificate(f"MSE-{n}", holder, "II", DAY, line=n + 2)[0])
    return records


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
async def test_the_people_whose_day_counts_for_a_case_are_those_who_touch_it(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str, seed: int
) -> None:
    handler = await new_handler(database_url, db_engine, fresh_schema)
    await handler.handle([on(DAY, m) for m in everything_known(1, 1)])
    await handler.handle([on(DAY, r) for r in world(seed)])
    graph, cases = FamilyGraph(), {"b1": [], "b2": [], "b3": []}
    for key, table, sql in (
        ("b1", graph.births, "SELECT record_no, child_pin, mother_pin, father_pin FROM {s}.births"),
        ("b3", graph.deaths, "SELECT record_no, deceased_pin, informant_pin FROM {s}.deaths"),
        ("b2", graph.certificates, "SELECT certificate_no, holder_pin FROM {s}.certificates"),
    ):
        for no, *people in await rows(db_engine, fresh_schema, sql):
            table.stored(no, tuple(people))
            cases[key].append(no if key == "b2" else people[0])  # a case's subject
    tables = engine_tables(fresh_schema)
    statement = tables.sql(PEOPLES_DAYS)
    checked = 0
    async with db_engine.begin() as conn:
        for pin in PINS:
            await conn.execute(tables.sql("DELETE FROM {s}.pin_days"))
            await conn.execute(
                tables.sql("INSERT INTO {s}.pin_days VALUES (:pin, :day)"),
                {"pin": pin, "day": date(2030, 1, 1)},
            )
            counted = {CaseKey(b, s) for b, s, _ in await conn.execute(statement, cases)}
            touched = graph.cases_of_people({pin}, 0) | graph.cases_of_holders({pin}, 0)
            assert counted == touched, pin
            checked += len(touched)
    assert checked > 20  # the families really overlap: the check saw many cases
