"""``persons`` (compacted): the population registry mirror, one record per person."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from benefits_shared.contracts.base import Contract
from benefits_shared.topics import PERSONS

Language = Literal["az", "ru", "en"]


class PersonRecord(Contract):
    """The latest state of a person; the key is the keyed hash of ``pin``.

    ``registry_seq`` orders versions: the full copy is 0, the change feed its ``seq``.
    """

    NAME: ClassVar[str] = "person-recorded"
    TOPIC: ClassVar[str] = PERSONS.name

    pin: str
    given_name: str
    surname: str
    patronymic: str | None = None
    birth_date: date
    sex: Literal["F", "M"]
    phone: str | None = None
    language: Language = "az"
    date_of_death: date | None = None
    mother_pin: str | None = None
    father_pin: str | None = None
    registry_seq: int = 0

    def identity(self) -> tuple[str, ...]:
        return (self.pin, str(self.registry_seq), self.model_dump_json())

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.surname}"
