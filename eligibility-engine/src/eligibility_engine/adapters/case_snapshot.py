"""What a rule needs to decide a case, assembled from rows already in memory: pure.

``case_loader`` reads the rows of every case of a batch at once; this module builds each
case's facts from them exactly as they were read one case at a time: the same records,
the same people (only those the case names), the case's own state.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

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


@dataclass
class CaseSnapshot:
    """Rows read for a set of cases. ``first_births``: per child, its first record (live
    ones before cancelled, then by number); ``deaths``: per deceased, the first live one."""

    first_births: dict[str, BirthRecord] = field(default_factory=dict)
    by_parent: dict[str, dict[str, BirthRecord]] = field(default_factory=dict)
    certificates: dict[str, Certificate] = field(default_factory=dict)
    by_holder: dict[str, list[Certificate]] = field(default_factory=dict)
    deaths: dict[str, DeathRecord] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    _kin: dict[tuple[str, ...], tuple[BirthRecord, ...]] = field(default_factory=dict)

    def add_kin(self, births: Iterable[BirthRecord]) -> None:
        by_parent: dict[str, dict[str, BirthRecord]] = defaultdict(dict)
        for b in births:
            for parent in {b.mother_pin, b.father_pin}:
                if parent:
                    by_parent[parent][b.record_no] = b
        self.by_parent = dict(by_parent)

    def add_certificates(self, certificates: Iterable[Certificate]) -> None:
        by_holder: dict[str, list[Certificate]] = defaultdict(list)
        for c in certificates:
            self.certificates[c.certificate_no] = c
            by_holder[c.holder_pin].append(c)
        for held in by_holder.values():
            held.sort(key=lambda c: (c.issued_at, c.source_order, c.certificate_no))
        self.by_holder = dict(by_holder)

    def people(self, pins: Iterable[str | None]) -> dict[str, Person]:
        return {p: self.persons[p] for p in set(pins) if p and p in self.persons}

    def facts(self, key: CaseKey, state: Mapping[str, Any]) -> CaseFacts | None:
        """The facts of the case ``key`` whose stored state is ``state`` (empty: none)."""
        if key.benefit == "B1":
            return self._birth_case(key.subject, state)
        if key.benefit == "B2":
            return self._disability_case(key.subject, state)
        return self._funeral_case(key.subject)

    def _birth_case(self, child: str, state: Mapping[str, Any]) -> BirthCase | None:
        birth = self.first_births.get(child)
        if birth is None:
            return None
        parents = tuple(p for p in (birth.mother_pin, birth.father_pin) if p)
        return BirthCase(
            birth=birth,
            persons=self.people([child, *parents]),
            births=self.kin(parents),
            grant=state.get("grant_state", "none"),
            granted_to=state.get("granted_to"),
        )

    def _disability_case(self, no: str, state: Mapping[str, Any]) -> DisabilityCase | None:
        certificate = self.certificates.get(no)
        if certificate is None:
            return None
        holder = certificate.holder_pin
        people = self.people([holder])
        parents = self.parents_of(holder, people.get(holder))
        if holder in people and len(parents) == 2 and not people[holder].mother_pin:
            # The population registry did not say who the parents are: the birth record does.
            people[holder] = replace(people[holder], mother_pin=parents[0], father_pin=parents[1])
        people.update(self.people(parents))
        current = None
        if state.get("period_start") is not None:
            current = Period(state["period_start"], state.get("period_end"))
        return DisabilityCase(
            certificate=certificate,
            persons=people,
            certificates=tuple(self.by_holder.get(holder, ())),
            current=current,
        )

    def kin(self, parents: tuple[str, ...]) -> tuple[BirthRecord, ...]:
        """Every birth naming one of ``parents`` as mother or father, by record number."""
        kin = self._kin.get(parents)
        if kin is None:
            found = {no: b for p in parents for no, b in self.by_parent.get(p, {}).items()}
            kin = self._kin[parents] = tuple(found[no] for no in sorted(found))
        return kin

    def parents_of(self, pin: str, person: Person | None) -> list[str | None]:
        """[mother, father]: from the population registry, else the child's birth record."""
        if person is not None and (person.mother_pin or person.father_pin):
            return [person.mother_pin, person.father_pin]
        birth = self.first_births.get(pin)
        if birth is None or birth.cancelled:
            return []
        return [birth.mother_pin, birth.father_pin]

    def _funeral_case(self, deceased: str) -> FuneralCase | None:
        death = self.deaths.get(deceased)
        if death is None:
            return None
        return FuneralCase(death, self.people([deceased, death.informant_pin]))
