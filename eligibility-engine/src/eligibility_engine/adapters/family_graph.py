"""Which cases a person touches, read from rows in memory as they stood at a point of the
batch: pure, no I/O.

A person touches the birth grant of every child of their family (their own birth, their
children, their parents' and their children's other parents' children), the funeral
allowance of a death they are the deceased or informant of, and the allowance of every
certificate held by them or by one of their children. ``case_finder`` loads the rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from eligibility_engine.adapters.record_history import People, Versions
from eligibility_engine.case_keys import CaseKey

Touched = set[CaseKey]


class Table:
    """Rows of one table by number, with the people each names at each point."""

    def __init__(self) -> None:
        self.rows: dict[str, Versions] = {}
        self._by_pin: dict[str, set[str]] = defaultdict(set)

    def add(self, no: str, versions: Versions) -> None:
        if no in self.rows:
            return  # what the batch replayed wins over what the table says now
        self.rows[no] = versions
        for _, people in versions.steps:
            for pin in people:
                if pin:
                    self._by_pin[pin].add(no)

    def numbers(self, pins: Iterable[str]) -> set[str]:
        """The rows that name one of ``pins`` in any role, at any point."""
        return {no for pin in pins for no in self._by_pin.get(pin, ())}

    def naming(self, pins: Iterable[str], position: int) -> list[People]:
        """The rows, as of ``position``, that name one of ``pins`` in any role then."""
        found = (self.rows[no].at(position) for no in self.numbers(pins))
        return [people for people in found if people is not None]


class FamilyGraph:
    def __init__(self) -> None:
        self.births = Table()  # (child, mother, father)
        self.deaths = Table()  # (deceased, informant)
        self.certificates = Table()  # (holder,)

    def cases_of_people(self, pins: set[str], position: int) -> Touched:
        """Every case in which one of ``pins`` is the subject, a parent or the informant."""
        if not pins:
            return set()
        family = [b for b in self.births.naming(pins, position) if not pins.isdisjoint(b)]
        everyone = pins | {p for b in family for p in b[1:] if p}
        touched: Touched = {
            CaseKey("B1", b[0])
            for b in self.births.naming(everyone, position)
            if b[0] and (b[0] in pins or not everyone.isdisjoint(b[1:]))
        }
        if self.deaths.rows:
            touched |= {
                CaseKey("B3", d[0])
                for d in self.deaths.naming(pins, position)
                if d[0] and not pins.isdisjoint(d)
            }
        children = {b[0] for b in family if b[0]}
        return touched | self.cases_of_holders(pins | children, position)

    def cases_of_holders(self, pins: set[str], position: int) -> Touched:
        if not self.certificates.rows:
            return set()
        return {
            CaseKey("B2", no)
            for no in self.certificates.numbers(pins)
            if (held := self.certificates.rows[no].at(position)) and held[0] in pins
        }
