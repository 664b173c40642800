"""The cases a batch touches, each with how it was touched: the latest day of an event
that touched it, and what those events need the engine to know (``knowledge.Touch``).

Four set-based queries load the rows around everyone the batch names (their births, their
relatives' births, deaths, certificates) into a ``FamilyGraph``; each event's cases are
then read from it as the rows stood at that event's position, so a case is touched by the
same events, and decided on the same day, as when the events were applied one by one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from eligibility_engine.adapters.fact_rows import BatchFacts
from eligibility_engine.adapters.fact_store import Written
from eligibility_engine.adapters.family_graph import FamilyGraph, Table
from eligibility_engine.adapters.record_folds import History
from eligibility_engine.adapters.record_history import Versions
from eligibility_engine.adapters.tables import EngineTables
from eligibility_engine.case_keys import CaseKey
from eligibility_engine.knowledge import Touch

# Every lookup by the batch's keys is a semi-join with them, one per column (a row named
# in two columns comes twice; the graph keeps it once): planned for the keys at hand, it
# is a hash join on a small table and index probes on a large one.
FAMILY = """
SELECT record_no, child_pin, mother_pin, father_pin FROM {s}.births
WHERE child_pin IN (SELECT unnest(CAST(:pins AS text[])))
UNION ALL
SELECT record_no, child_pin, mother_pin, father_pin FROM {s}.births
WHERE mother_pin IN (SELECT unnest(CAST(:pins AS text[])))
UNION ALL
SELECT record_no, child_pin, mother_pin, father_pin FROM {s}.births
WHERE father_pin IN (SELECT unnest(CAST(:pins AS text[])))"""

CHILDREN = """
SELECT record_no, child_pin, mother_pin, father_pin FROM {s}.births
WHERE mother_pin IN (SELECT unnest(CAST(:pins AS text[])))
UNION ALL
SELECT record_no, child_pin, mother_pin, father_pin FROM {s}.births
WHERE father_pin IN (SELECT unnest(CAST(:pins AS text[])))"""

DEATHS = """
SELECT record_no, deceased_pin, informant_pin FROM {s}.deaths
WHERE deceased_pin IN (SELECT unnest(CAST(:pins AS text[])))
UNION ALL
SELECT record_no, deceased_pin, informant_pin FROM {s}.deaths
WHERE informant_pin IN (SELECT unnest(CAST(:pins AS text[])))"""

CERTIFICATES = """
SELECT certificate_no, holder_pin FROM {s}.certificates
WHERE holder_pin IN (SELECT unnest(CAST(:pins AS text[])))"""

# The latest day each PIN the batch names touched the engine (ADR 0005, amended 2026-12-05).
NOTE_DAYS = """
INSERT INTO {s}.pin_days AS d (pin, day)
SELECT * FROM unnest(CAST(:pins AS text[]), CAST(:days AS date[]))
ON CONFLICT (pin) DO UPDATE SET day = excluded.day WHERE d.day < excluded.day"""

# Whether anyone's day is later than ``floor`` (the earliest day of the batch's cases):
# live, the batch's own events are the latest, and the lookup below is skipped.
ANY_LATER = "SELECT EXISTS (SELECT 1 FROM {s}.pin_days WHERE day > :floor)"

# Per case, the latest day of anyone who touches it: the inverse of
# ``FamilyGraph.cases_of_people`` and ``cases_of_holders``, on the rows as they stand. A
# birth grant: the child, the parents, and everyone named in a birth with one of them as a
# parent. A funeral allowance: the deceased and the informant. An allowance: the holder
# and the holder's parents.
PEOPLES_DAYS = """
WITH b1 AS (SELECT unnest(CAST(:b1 AS text[])) AS subject),
parents AS (
    SELECT b1.subject, p.pin FROM b1 JOIN {s}.births b ON b.child_pin = b1.subject
    CROSS JOIN LATERAL (VALUES (b.mother_pin), (b.father_pin)) AS p(pin)
    WHERE p.pin IS NOT NULL),
kin AS (
    SELECT parents.subject, b.child_pin, b.mother_pin, b.father_pin
    FROM parents JOIN {s}.births b ON b.mother_pin = parents.pin
    UNION ALL
    SELECT parents.subject, b.child_pin, b.mother_pin, b.father_pin
    FROM parents JOIN {s}.births b ON b.father_pin = parents.pin),
b3 AS (SELECT unnest(CAST(:b3 AS text[])) AS subject),
b2 AS (SELECT unnest(CAST(:b2 AS text[])) AS subject),
holders AS (
    SELECT b2.subject, c.holder_pin AS pin
    FROM b2 JOIN {s}.certificates c ON c.certificate_no = b2.subject),
people (benefit, subject, pin) AS (
    SELECT 'B1', subject, subject FROM b1
    UNION ALL SELECT 'B1', subject, pin FROM parents
    UNION ALL SELECT 'B1', kin.subject, p.pin FROM kin
        CROSS JOIN LATERAL (VALUES (kin.child_pin), (kin.mother_pin), (kin.father_pin)) AS p(pin)
    UNION ALL SELECT 'B3', subject, subject FROM b3
    UNION ALL SELECT 'B3', b3.subject, d.informant_pin FROM b3
        JOIN {s}.deaths d ON d.deceased_pin = b3.subject
    UNION ALL SELECT 'B2', subject, pin FROM holders
    UNION ALL SELECT 'B2', holders.subject, p.pin FROM holders
        JOIN {s}.births b ON b.child_pin = holders.pin
        CROSS JOIN LATERAL (VALUES (b.mother_pin), (b.father_pin)) AS p(pin))
SELECT people.benefit, people.subject, max(d.day) FROM people
JOIN {s}.pin_days d ON d.pin = people.pin
GROUP BY people.benefit, people.subject"""

Seeds = dict[int, set[str]]


class CaseFinder:
    def __init__(self, tables: EngineTables) -> None:
        self._sql = tables.statements(
            family=FAMILY,
            children=CHILDREN,
            deaths=DEATHS,
            certificates=CERTIFICATES,
            note_days=NOTE_DAYS,
            any_later=ANY_LATER,
            peoples_days=PEOPLES_DAYS,
        )

    async def touched(
        self,
        s: AsyncSession,
        touches: Mapping[int, Touch],
        facts: BatchFacts,
        written: Written,
        history: History,
    ) -> dict[CaseKey, Touch]:
        """Case → how the events at ``touches``' positions touched it, all together, each
        on no earlier a day than that of anyone who touches it (``_latest_days``)."""
        people, holders = _seeds(facts, history)
        graph = await self._graph(s, facts, written, history, people, holders)
        touched: dict[CaseKey, Touch] = {}
        for position in people.keys() | holders.keys():
            touch = touches[position]
            keys = graph.cases_of_people(people.get(position, set()), position)
            keys |= graph.cases_of_holders(holders.get(position, set()), position)
            for key in keys:
                known = touched.get(key)
                touched[key] = touch if known is None else known | touch
        return await self._latest_days(s, touched, touches, people, holders)

    async def _latest_days(
        self,
        s: AsyncSession,
        touched: dict[CaseKey, Touch],
        touches: Mapping[int, Touch],
        people: Seeds,
        holders: Seeds,
    ) -> dict[CaseKey, Touch]:
        """Note the day of every PIN the batch's events named, then move each touched case
        to the latest day of anyone who touches it. An event read before the case it would
        touch existed (a person's later record, a younger sibling's birth) touched nothing
        then; its day still counts now, as it would have had it come after (ADR 0005,
        amended 2026-12-05)."""
        days: dict[str, date] = {}
        for seeds in (people, holders):
            for position, pins in seeds.items():
                day = touches[position].day
                for pin in pins:
                    if pin not in days or days[pin] < day:
                        days[pin] = day
        if days:
            named = sorted(days)
            await s.execute(
                self._sql["note_days"], {"pins": named, "days": [days[p] for p in named]}
            )
        if not touched:
            return touched
        floor = min(t.day for t in touched.values())
        if not (await s.execute(self._sql["any_later"], {"floor": floor})).scalar():
            return touched
        subjects: dict[str, list[str]] = {"B1": [], "B2": [], "B3": []}
        for key in touched:
            subjects[key.benefit].append(key.subject)
        found = await s.execute(
            self._sql["peoples_days"],
            {"b1": subjects["B1"], "b2": subjects["B2"], "b3": subjects["B3"]},
        )
        for benefit, subject, day in found:
            key = CaseKey(benefit, subject)
            touch = touched[key]
            if day > touch.day:
                touched[key] = replace(touch, day=day)
        return touched

    async def _graph(
        self,
        s: AsyncSession,
        facts: BatchFacts,
        written: Written,
        history: History,
        people: Seeds,
        holders: Seeds,
    ) -> FamilyGraph:
        graph = FamilyGraph()
        _add_all(graph.births, history.births)
        _add_all(graph.deaths, history.deaths)
        _add_all(graph.certificates, certificate_versions(facts, written))
        pins = set().union(*people.values())
        if pins:
            await self._load(s, "family", pins, graph.births)
            relatives = {p for b in graph.births.ever_naming(pins) for p in b[1:] if p}
            await self._load(s, "children", pins | relatives, graph.births)
            await self._load(s, "deaths", pins, graph.deaths)
        children = {b[0] for b in graph.births.ever_naming(pins) if b[0]}
        wanted = pins | children | set().union(*holders.values())
        if wanted:
            await self._load(s, "certificates", wanted, graph.certificates)
        return graph

    async def _load(self, s: AsyncSession, query: str, pins: set[str], table: Table) -> None:
        for no, *people in await s.execute(self._sql[query], {"pins": sorted(pins)}):
            table.stored(no, tuple(people))


def _seeds(facts: BatchFacts, history: History) -> tuple[Seeds, Seeds]:
    """Per position: the people whose cases the event touched; the certificate holders."""
    people: Seeds = defaultdict(set)
    holders: Seeds = defaultdict(set)
    for position, pin in facts.person_seeds:
        people[position].add(pin)
    for position, pins in history.touched.items():
        people[position] |= pins
    for position, pin in facts.holder_seeds:
        holders[position].add(pin)
    return people, holders


def certificate_versions(facts: BatchFacts, written: Written) -> dict[str, Versions]:
    """Who held each certificate the batch issued, from each position on."""
    versions: dict[str, Versions] = {}
    orders: dict[str, int] = {}
    for no, (holder, order) in written.holders_before.items():
        versions[no] = Versions([(-1, (holder,))])
        orders[no] = order
    for position, row in facts.certificates:
        no, holder, order = row[0], row[1], row[6]
        if no not in orders or order >= orders[no]:
            versions.setdefault(no, Versions()).steps.append((position, (holder,)))
            orders[no] = order
    return versions


def _add_all(table: Table, rows: Mapping[str, Versions]) -> None:
    for no, versions in rows.items():
        table.replayed(no, versions)
