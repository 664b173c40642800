"""Facts from the topics into the engine's tables, and the keys of the cases they touch.

Every write is idempotent (a record number or a PIN is a primary key), so applying an
event twice, or late, or out of order, ends in the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from benefits_shared.clock import baku_date
from benefits_shared.contracts.life_events import (
    BirthRegistered,
    CertificateIssued,
    CertificateRevoked,
    DeathRegistered,
    RecordCancelled,
    RecordCorrected,
)
from benefits_shared.contracts.persons import PersonRecord
from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from eligibility_engine.adapters.tables import EngineTables
from eligibility_engine.case_keys import CaseKey
from eligibility_engine.record_folding import Amendment, fold

Touched = set[CaseKey]


class FactStore:
    def __init__(self, tables: EngineTables) -> None:
        self.t = tables

    async def record_person(self, s: AsyncSession, p: PersonRecord) -> Touched:
        persons = self.t.persons
        row = {
            "pin": p.pin,
            "record": p.model_dump(mode="json"),
            "registry_seq": p.registry_seq,
            "date_of_death": p.date_of_death,
            "mother_pin": p.mother_pin,
            "father_pin": p.father_pin,
        }
        stmt = insert(persons).values(row)
        stmt = stmt.on_conflict_do_update(
            index_elements=["pin"],
            set_={k: stmt.excluded[k] for k in row if k != "pin"},
            where=persons.c.registry_seq <= stmt.excluded.registry_seq,
        )
        await s.execute(stmt)
        return await self.cases_of_people(s, [p.pin])

    async def record_birth(self, s: AsyncSession, b: BirthRegistered) -> Touched:
        original = {
            "child_pin": b.child.pin,
            "birth_date": b.child.birth_date.isoformat(),
            "mother_pin": b.mother_pin,
            "father_pin": b.father_pin,
        }
        await s.execute(
            insert(self.t.births)
            .values(
                record_no=b.record_no,
                original=original,
                child_pin=b.child.pin,
                birth_date=b.child.birth_date,
                mother_pin=b.mother_pin,
                father_pin=b.father_pin,
                registered_on=baku_date(b.registered_at),
            )
            .on_conflict_do_nothing(index_elements=["record_no"])
        )
        return await self._refold(s, b.record_no)

    async def record_death(self, s: AsyncSession, d: DeathRegistered) -> Touched:
        original = {
            "deceased_pin": d.deceased_pin,
            "death_date": d.death_date.isoformat(),
            "informant_pin": d.informant_pin,
        }
        await s.execute(
            insert(self.t.deaths)
            .values(
                record_no=d.record_no,
                original=original,
                deceased_pin=d.deceased_pin,
                death_date=d.death_date,
                informant_pin=d.informant_pin,
                registered_on=baku_date(d.registered_at),
            )
            .on_conflict_do_nothing(index_elements=["record_no"])
        )
        return await self._refold(s, d.record_no)

    async def record_amendment(
        self, s: AsyncSession, a: RecordCancelled | RecordCorrected
    ) -> Touched:
        if isinstance(a, RecordCancelled):
            target, kind, changes = a.cancels, "cancel", {"reason": a.reason}
        else:
            target, kind, changes = a.corrects, "correct", dict(a.changes)
        await self._amend(s, a.record_no, target, kind, changes, a.seq)
        return await self._refold(s, target)

    async def record_certificate(self, s: AsyncSession, c: CertificateIssued) -> Touched:
        row: dict[str, Any] = {
            "certificate_no": c.certificate_no,
            "holder_pin": c.pin,
            "group": c.group,
            "valid_from": c.valid_from,
            "valid_until": c.valid_until,
            "issued_at": c.issued_at,
            "source_order": source_order(c.source_file, c.line),
        }
        stmt = insert(self.t.certificates).values(row)
        stmt = stmt.on_conflict_do_update(
            index_elements=["certificate_no"],
            set_={k: stmt.excluded[k] for k in row if k != "certificate_no"},
            where=self.t.certificates.c.source_order <= stmt.excluded.source_order,
        )
        await s.execute(stmt)
        await self._apply_revocations(s, c.certificate_no)
        return await self.cases_of_holders(s, [c.pin])

    async def record_revocation(self, s: AsyncSession, r: CertificateRevoked) -> Touched:
        changes = {"effective_from": r.effective_from.isoformat()}
        order = source_order(r.source_file, r.line)
        await self._amend(
            s, f"revoke:{r.certificate_no}", r.certificate_no, "revoke", changes, order
        )
        await self._apply_revocations(s, r.certificate_no)
        return await self.cases_of_holders(s, [r.pin])

    async def _amend(
        self,
        s: AsyncSession,
        record_no: str,
        target: str,
        kind: str,
        changes: dict[str, Any],
        seq: int,
    ) -> None:
        await s.execute(
            insert(self.t.amendments)
            .values(record_no=record_no, target=target, kind=kind, changes=changes, seq=seq)
            .on_conflict_do_nothing(index_elements=["record_no"])
        )

    async def _amendments(self, s: AsyncSession, target: str) -> list[Amendment]:
        a = self.t.amendments
        rows = await s.execute(select(a).where(a.c.target == target))
        return [Amendment(r.record_no, r.kind, r.changes, r.seq) for r in rows]

    async def _apply_revocations(self, s: AsyncSession, certificate_no: str) -> None:
        revocations = [a for a in await self._amendments(s, certificate_no) if a.kind == "revoke"]
        if revocations:
            latest = max(revocations, key=lambda a: a.seq)
            c = self.t.certificates
            await s.execute(
                update(c)
                .where(c.c.certificate_no == certificate_no)
                .values(revoked_from=date.fromisoformat(latest.changes["effective_from"]))
            )

    async def _refold(self, s: AsyncSession, record_no: str) -> Touched:
        """Re-apply every amendment of a birth or death record; the cases it touches."""
        amendments = await self._amendments(s, record_no)
        for table, kind in ((self.t.births, "birth"), (self.t.deaths, "death")):
            row = (await s.execute(select(table).where(table.c.record_no == record_no))).first()
            if row is None:
                continue
            before = _people(row._mapping)
            fields, cancelled, corrections = fold(kind, row.original, amendments)
            values: dict[str, Any] = {k: fields[k] for k in fields if k in table.c}
            for day in ("birth_date", "death_date"):
                if day in values and isinstance(values[day], str):
                    values[day] = date.fromisoformat(values[day])
            values["cancelled"] = cancelled
            if kind == "birth":
                values["corrections"] = list(corrections)
            await s.execute(update(table).where(table.c.record_no == record_no).values(values))
            return await self.cases_of_people(s, before | _people(values))
        return set()

    async def cases_of_people(self, s: AsyncSession, pins: Iterable[str]) -> Touched:
        """Every case in which one of ``pins`` is the subject, a parent or the informant."""
        pins = [p for p in set(pins) if p]
        if not pins:
            return set()
        b, d = self.t.births, self.t.deaths
        touched: Touched = set()
        family = or_(b.c.child_pin.in_(pins), b.c.mother_pin.in_(pins), b.c.father_pin.in_(pins))
        parents = await s.execute(select(b.c.mother_pin, b.c.father_pin).where(family))
        everyone = set(pins) | {p for row in parents for p in row if p}
        siblings = or_(
            b.c.mother_pin.in_(everyone), b.c.father_pin.in_(everyone), b.c.child_pin.in_(pins)
        )
        for (child,) in await s.execute(select(b.c.child_pin).where(siblings).distinct()):
            touched.add(CaseKey("B1", child))
        involved = or_(d.c.deceased_pin.in_(pins), d.c.informant_pin.in_(pins))
        for (deceased,) in await s.execute(select(d.c.deceased_pin).where(involved).distinct()):
            touched.add(CaseKey("B3", deceased))
        children = await s.execute(select(b.c.child_pin).where(family).distinct())
        return touched | await self.cases_of_holders(s, set(pins) | {c for (c,) in children})

    async def cases_of_holders(self, s: AsyncSession, pins: Iterable[str]) -> Touched:
        c = self.t.certificates
        rows = await s.execute(select(c.c.certificate_no).where(c.c.holder_pin.in_(list(pins))))
        return {CaseKey("B2", no) for (no,) in rows}


def _people(row: Any) -> set[str]:
    keys = ("child_pin", "mother_pin", "father_pin", "deceased_pin", "informant_pin")
    return {row[k] for k in keys if row.get(k)}


def source_order(source_file: str, line: int) -> int:
    """Order of a row in the MSE feed: the file's day, its upload number, the line."""
    stem = source_file.rsplit("/", 1)[-1].removesuffix(".csv").removeprefix("mse_")
    day, _, upload = stem.partition("_")
    digits = day if day.isdigit() else "0"
    return int(digits) * 10**9 + int(upload or 1) * 10**6 + line
