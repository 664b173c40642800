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
    """Rows of one table by number, with the people each names at each point: as the
    batch replayed them, else (a row the batch did not touch) as the table has them."""

    def __init__(self) -> None:
        self._replayed: dict[str, Versions] = {}
        self._stored: dict[str, People] = {}
        self._by_pin: dict[str, set[str]] = defaultdict(set)

    def __bool__(self) -> bool:
        return bool(self._replayed or self._stored)

    def replayed(self, no: str, versions: Versions) -> None:
        self._replayed[no] = versions
        for _, people in versions.steps:
            self._index(no, people)

    def stored(self, no: str, people: People) -> None:
        if no not in self._replayed and no not in self._stored:
            self._stored[no] = people
            self._index(no, people)

    def _index(self, no: str, people: People) -> None:
        for pin in people:
            if pin:
                self._by_pin[pin].add(no)

    def at(self, no: str, position: int) -> People | None:
        stored = self._stored.get(no)
        return stored if stored is not None else self._replayed[no].at(position)

    def numbers(self, pins: Iterable[str]) -> set[str]:
        """The rows that name one of ``pins`` in any role, at any point."""
        return {no for pin in pins for no in self._by_pin.get(pin, ())}

    def naming(self, pins: Iterable[str], position: int) -> list[People]:
        """The rows, as of ``position``, that name one of ``pins`` in any role then."""
        found = (self.at(no, position) for no in self.numbers(pins))
        return [people for people in found if people is not None]

    def ever_naming(self, pins: Iterable[str]) -> list[People]:
        """What the rows that name one of ``pins`` said at any point."""
        out: list[People] = []
        for no in self.numbers(pins):
            stored = self._stored.get(no)
            out.extend([stored] if stored is not None else [p for _, p in self._replayed[no].steps])
        return out


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
        if self.deaths:
            touched |= {
                CaseKey("B3", d[0])
                for d in self.deaths.naming(pins, position)
                if d[0] and not pins.isdisjoint(d)
            }
        children = {b[0] for b in family if b[0]}
        return touched | self.cases_of_holders(pins | children, position)

    def cases_of_holders(self, pins: set[str], position: int) -> Touched:
        if not self.certificates:
            return set()
        return {
            CaseKey("B2", no)
            for no in self.certificates.numbers(pins)
            if (held := self.certificates.at(no, position)) and held[0] in pins
        }
