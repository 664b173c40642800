"""Reads what the rules need to decide a set of cases: a handful of queries for all.

Certificates of the holders, first birth records of the children (and of the holders),
the births naming those children's parents, the first live death record of each
deceased, then everyone named with their earliest civil death date.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from eligibility_engine.adapters.case_snapshot import CaseSnapshot
from eligibility_engine.adapters.tables import EngineTables
from eligibility_engine.case_keys import CaseKey
from eligibility_engine.facts import BirthRecord, Certificate, DeathRecord, Person

CERTIFICATES = """
SELECT certificate_no, holder_pin, "group", valid_from, issued_at, valid_until, revoked_from,
    source_order FROM {s}.certificates
WHERE holder_pin IN (SELECT holder_pin FROM {s}.certificates
                     WHERE certificate_no IN (SELECT unnest(CAST(:keys AS text[]))))"""

FIRST_BIRTHS = """
SELECT DISTINCT ON (child_pin)
    record_no, child_pin, birth_date, mother_pin, father_pin, cancelled, corrections
FROM {s}.births
WHERE child_pin IN (SELECT unnest(CAST(:keys AS text[])))
ORDER BY child_pin, cancelled, record_no"""

KIN = """
SELECT record_no, child_pin, birth_date, mother_pin, father_pin, cancelled, corrections
FROM {s}.births WHERE mother_pin IN (SELECT unnest(CAST(:keys AS text[])))
UNION ALL
SELECT record_no, child_pin, birth_date, mother_pin, father_pin, cancelled, corrections
FROM {s}.births WHERE father_pin IN (SELECT unnest(CAST(:keys AS text[])))"""

FIRST_DEATHS = """
SELECT DISTINCT ON (deceased_pin) record_no, deceased_pin, death_date, informant_pin
FROM {s}.deaths
WHERE deceased_pin IN (SELECT unnest(CAST(:keys AS text[]))) AND NOT cancelled
ORDER BY deceased_pin, record_no"""

#: A person as ``facts.Person`` has them; the death date is the earliest known, from the
#: population registry or a live civil-registry death record.
PERSONS = """
SELECT p.record->>'pin', p.record->>'given_name', p.record->>'surname',
    CAST(p.record->>'birth_date' AS date), p.record->>'sex', p.record->>'phone',
    coalesce(p.record->>'language', 'az'),
    least(CAST(p.record->>'date_of_death' AS date),
          (SELECT min(d.death_date) FROM {s}.deaths AS d
           WHERE d.deceased_pin = p.pin AND NOT d.cancelled)),
    p.record->>'mother_pin', p.record->>'father_pin'
FROM {s}.persons AS p WHERE p.pin IN (SELECT unnest(CAST(:keys AS text[])))"""


class CaseLoader:
    def __init__(self, tables: EngineTables) -> None:
        self._sql = tables.statements(
            certificates=CERTIFICATES,
            first_births=FIRST_BIRTHS,
            kin=KIN,
            first_deaths=FIRST_DEATHS,
            persons=PERSONS,
        )

    async def load(self, s: AsyncSession, keys: Iterable[CaseKey]) -> CaseSnapshot:
        wanted: dict[str, set[str]] = {"B1": set(), "B2": set(), "B3": set()}
        for key in keys:
            wanted[key.benefit].add(key.subject)
        snap = CaseSnapshot()
        rows = await self._rows(s, "certificates", wanted["B2"])
        snap.add_certificates(Certificate(*r) for r in rows)
        holders = {
            snap.certificates[no].holder_pin for no in wanted["B2"] if no in snap.certificates
        }
        births = _Births()
        for r in await self._rows(s, "first_births", wanted["B1"] | holders):
            snap.first_births[r[1]] = births.of(r)
        for r in await self._rows(s, "first_deaths", wanted["B3"]):
            snap.deaths[r[1]] = DeathRecord(*r)
        children = [snap.first_births[c] for c in wanted["B1"] if c in snap.first_births]
        parents = {p for b in children for p in (b.mother_pin, b.father_pin) if p}
        snap.add_kin(births.of(r) for r in await self._rows(s, "kin", parents))
        named = {p for b in children for p in (b.child_pin, b.mother_pin, b.father_pin)}
        named |= {p for d in snap.deaths.values() for p in (d.deceased_pin, d.informant_pin)}
        named |= {p for h in holders for p in (h, *snap.parents_of(h, None))}
        await self._persons(s, snap, named)
        registry_parents = {p for h in holders for p in snap.parents_of(h, snap.persons.get(h))}
        await self._persons(s, snap, registry_parents - snap.persons.keys())
        return snap

    async def _persons(self, s: AsyncSession, snap: CaseSnapshot, pins: set[Any]) -> None:
        for row in await self._rows(s, "persons", pins):
            snap.persons[row[0]] = Person(*row)

    async def _rows(self, s: AsyncSession, query: str, keys: set[Any]) -> list[Any]:
        wanted = sorted(k for k in keys if k)
        if not wanted:
            return []
        return list(await s.execute(self._sql[query], {"keys": wanted}))


class _Births:
    """Birth records made once each, however many queries return them."""

    def __init__(self) -> None:
        self._made: dict[str, BirthRecord] = {}

    def of(self, row: Any) -> BirthRecord:
        made = self._made.get(row[0])
        if made is None:
            no, child, born, mother, father, cancelled, corrections = row
            made = BirthRecord(no, child, born, mother, father, cancelled, tuple(corrections))
            self._made[no] = made
        return made
