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

Seeds = dict[int, set[str]]


class CaseFinder:
    def __init__(self, tables: EngineTables) -> None:
        self._sql = tables.statements(
            family=FAMILY, children=CHILDREN, deaths=DEATHS, certificates=CERTIFICATES
        )

    async def touched(
        self,
        s: AsyncSession,
        touches: Mapping[int, Touch],
        facts: BatchFacts,
        written: Written,
        history: History,
    ) -> dict[CaseKey, Touch]:
        """Case → how the events at ``touches``' positions touched it, all together."""
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
