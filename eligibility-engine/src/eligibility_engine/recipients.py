"""Who receives a benefit: the parent of a child (B1, B2 child group) or the informant (B3).

docs/policy.md: the mother, if she has a PIN, is alive on the day the engine decides and is
known to the population registry; otherwise the father under the same conditions;
otherwise nobody (the "unresolved" queue). The B3 informant must meet the same
conditions and be an adult (18 or older on the decision day).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from benefits_shared.pin import is_pin

from eligibility_engine.facts import Person


@dataclass(frozen=True, slots=True)
class Choice:
    """The recipient (or None), in which role, and why anyone before them was passed over."""

    person: Person | None
    role: str | None
    passed_over: tuple[str, ...] = ()

    def explain(self) -> str:
        skipped = "; ".join(self.passed_over)
        if self.person is None:
            return f"no recipient: {skipped}" if skipped else "no recipient"
        return f"paid to the {self.role} ({skipped})" if skipped else f"paid to the {self.role}"


def check(role: str, pin: str | None, persons: Mapping[str, Person], on: date) -> Person | str:
    """The person named in ``role`` if they can receive on ``on``; else why they cannot."""
    if pin is None or not is_pin(pin):
        return f"the {role} has no PIN"
    person = persons.get(pin)
    if person is None:
        return f"the {role} is not known to the population registry"
    if not person.alive_on(on):
        return f"the {role} died on {person.date_of_death}"
    return person


def already_paid(
    persons: Mapping[str, Person], granted_to: str | None, roles: Mapping[str, str | None]
) -> Choice | None:
    """Whom a one-time grant already paid stays with: its payee, while the record still
    names them in ``roles`` (role → PIN). They could receive when they were paid; a death
    or any change of theirs reported after the payment does not move the grant. Only a
    record that names someone else (a correction) does: that recipient is paid and the
    earlier payment opens a recovery case (policy.md, Bank)."""
    person = persons.get(granted_to or "")
    role = next((r for r, pin in roles.items() if person and pin == person.pin), None)
    if person is None or role is None:
        return None
    return Choice(person, role, ("already paid to them",))


def parent(
    mother_pin: str | None, father_pin: str | None, persons: Mapping[str, Person], on: date
) -> Choice:
    """The mother, else the father, else nobody."""
    passed_over: list[str] = []
    for role, pin in (("mother", mother_pin), ("father", father_pin)):
        found = check(role, pin, persons, on)
        if isinstance(found, Person):
            return Choice(found, role, tuple(passed_over))
        passed_over.append(found)
    return Choice(None, None, tuple(passed_over))


def informant(pin: str | None, persons: Mapping[str, Person], on: date, adult_age: int) -> Choice:
    """The informant of a death, if an adult who can receive; else nobody."""
    found = check("informant", pin, persons, on)
    if isinstance(found, str):
        return Choice(None, None, (found,))
    if on < found.turns(adult_age):
        return Choice(None, None, (f"the informant is under {adult_age} on {on}",))
    return Choice(found, "informant")
