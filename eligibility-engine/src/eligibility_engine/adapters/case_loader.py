"""Reads what a rule needs to decide one case from the engine's tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from eligibility_engine.adapters.tables import EngineTables
from eligibility_engine.case_keys import CaseKey
from eligibility_engine.facts import (
    BirthCase,
    BirthRecord,
    CaseFacts,
    Certificate,
    DeathRecord,
    DisabilityCase,
    FuneralCase,
    Period,
    Person,
)


class CaseLoader:
    def __init__(self, tables: EngineTables) -> None:
        self.t = tables

    async def load(self, s: AsyncSession, key: CaseKey, case_id: str) -> CaseFacts | None:
        state = await self.case_state(s, case_id)
        if key.benefit == "B1":
            return await self._birth_case(s, key.subject, state)
        if key.benefit == "B2":
            return await self._disability_case(s, key.subject, state)
        return await self._funeral_case(s, key.subject)

    async def case_state(self, s: AsyncSession, case_id: str) -> dict[str, Any]:
        c = self.t.cases
        row = (await s.execute(select(c).where(c.c.case_id == case_id))).first()
        return dict(row._mapping) if row else {}

    async def people(self, s: AsyncSession, pins: Iterable[str | None]) -> dict[str, Person]:
        wanted = [p for p in set(pins) if p]
        if not wanted:
            return {}
        p, d = self.t.persons, self.t.deaths
        rows = (await s.execute(select(p.c.record).where(p.c.pin.in_(wanted)))).scalars()
        deaths = dict(
            (
                await s.execute(
                    select(d.c.deceased_pin, func.min(d.c.death_date))
                    .where(d.c.deceased_pin.in_(wanted), d.c.cancelled.is_(False))
                    .group_by(d.c.deceased_pin)
                )
            )
            .tuples()
            .all()
        )
        return {r["pin"]: _person(r, deaths.get(r["pin"])) for r in rows}

    async def _birth_case(
        self, s: AsyncSession, child: str, state: dict[str, Any]
    ) -> BirthCase | None:
        b = self.t.births
        rows = (
            await s.execute(
                select(b).where(b.c.child_pin == child).order_by(b.c.cancelled, b.c.record_no)
            )
        ).all()
        if not rows:
            return None
        birth = _birth(rows[0])
        parents = [p for p in (birth.mother_pin, birth.father_pin) if p]
        kin = (
            (
                await s.execute(
                    select(b).where(or_(b.c.mother_pin.in_(parents), b.c.father_pin.in_(parents)))
                )
            ).all()
            if parents
            else []
        )
        return BirthCase(
            birth=birth,
            persons=await self.people(s, [child, *parents]),
            births=tuple(_birth(r) for r in kin),
            grant=state.get("grant_state", "none"),
            granted_to=state.get("granted_to"),
        )

    async def _disability_case(
        self, s: AsyncSession, certificate_no: str, state: dict[str, Any]
    ) -> DisabilityCase | None:
        c = self.t.certificates
        row = (await s.execute(select(c).where(c.c.certificate_no == certificate_no))).first()
        if row is None:
            return None
        holder = row.holder_pin
        others = (await s.execute(select(c).where(c.c.holder_pin == holder))).all()
        people = await self.people(s, [holder])
        parents = await self._parents_of(s, holder, people.get(holder))
        if holder in people and len(parents) == 2 and not people[holder].mother_pin:
            # The population registry did not say who the parents are: the birth record does.
            people[holder] = replace(people[holder], mother_pin=parents[0], father_pin=parents[1])
        people.update(await self.people(s, [p for p in parents if p]))
        current = None
        if state.get("period_start") is not None:
            current = Period(state["period_start"], state.get("period_end"))
        return DisabilityCase(
            certificate=_certificate(row),
            persons=people,
            certificates=tuple(_certificate(r) for r in others),
            current=current,
            paid_through=state.get("paid_through"),
        )

    async def _parents_of(
        self, s: AsyncSession, pin: str, person: Person | None
    ) -> list[str | None]:
        """[mother, father]: from the population registry, else the child's birth record."""
        if person is not None and (person.mother_pin or person.father_pin):
            return [person.mother_pin, person.father_pin]
        b = self.t.births
        row = (
            await s.execute(
                select(b.c.mother_pin, b.c.father_pin)
                .where(b.c.child_pin == pin, b.c.cancelled.is_(False))
                .limit(1)
            )
        ).first()
        return [row.mother_pin, row.father_pin] if row else []

    async def _funeral_case(self, s: AsyncSession, deceased: str) -> FuneralCase | None:
        d = self.t.deaths
        row = (
            await s.execute(
                select(d)
                .where(d.c.deceased_pin == deceased, d.c.cancelled.is_(False))
                .order_by(d.c.record_no)
                .limit(1)
            )
        ).first()
        if row is None:
            return None
        death = DeathRecord(row.record_no, row.deceased_pin, row.death_date, row.informant_pin)
        return FuneralCase(death, await self.people(s, [deceased, row.informant_pin]))


def _person(record: dict[str, Any], civil_death: date | None) -> Person:
    registry_death = (
        date.fromisoformat(record["date_of_death"]) if record.get("date_of_death") else None
    )
    deaths = [d for d in (registry_death, civil_death) if d]
    return Person(
        pin=record["pin"],
        given_name=record["given_name"],
        surname=record["surname"],
        birth_date=date.fromisoformat(record["birth_date"]),
        sex=record["sex"],
        phone=record.get("phone"),
        language=record.get("language", "az"),
        date_of_death=min(deaths) if deaths else None,
        mother_pin=record.get("mother_pin"),
        father_pin=record.get("father_pin"),
    )


def _birth(row: Any) -> BirthRecord:
    return BirthRecord(
        record_no=row.record_no,
        child_pin=row.child_pin,
        birth_date=row.birth_date,
        mother_pin=row.mother_pin,
        father_pin=row.father_pin,
        cancelled=row.cancelled,
        corrections=tuple(row.corrections),
    )


def _certificate(row: Any) -> Certificate:
    return Certificate(
        certificate_no=row.certificate_no,
        holder_pin=row.holder_pin,
        group=row.group,
        valid_from=row.valid_from,
        issued_at=row.issued_at,
        valid_until=row.valid_until,
        revoked_from=row.revoked_from,
        source_order=row.source_order,
    )
