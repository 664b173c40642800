"""A small family history, built from the contracts, for the engine's integration tests."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from benefits_shared.clock import BAKU
from benefits_shared.contracts import Contract
from benefits_shared.contracts.clock import DayStarted
from benefits_shared.contracts.life_events import (
    BirthRegistered,
    CertificateIssued,
    Child,
    DeathRegistered,
    RecordCancelled,
)
from benefits_shared.contracts.persons import PersonRecord

Feed = list[tuple[Contract, str | None]]


def person(pin: str, born: date, sex: str = "F", **extra: Any) -> tuple[Contract, str]:
    record = PersonRecord(
        pin=pin,
        given_name="Leyla",
        surname="Məmmədova",
        birth_date=born,
        sex=sex,
        phone="+994501234567",
        language="az",
        **extra,
    )  # type: ignore[arg-type]
    return record, pin


def birth(
    seq: int, no: str, child: str, born: date, mother: str | None, father: str | None = None
) -> tuple[Contract, str]:
    record = BirthRegistered(
        record_no=no,
        seq=seq,
        registered_at=_at(born),
        office="Baku-Nasimi",
        child=Child(pin=child, given_name="Aysel", surname="Məmmədova", birth_date=born, sex="F"),
        mother_pin=mother,
        father_pin=father,
    )
    return record, child


def death(
    seq: int, no: str, deceased: str, died: date, informant: str | None
) -> tuple[Contract, str]:
    record = DeathRegistered(
        record_no=no,
        seq=seq,
        registered_at=_at(died),
        office="Sumgait",
        deceased_pin=deceased,
        death_date=died,
        informant_pin=informant,
    )
    return record, deceased


def cancellation(seq: int, no: str, cancels: str, subject: str, on: date) -> tuple[Contract, str]:
    return RecordCancelled(
        record_no=no, seq=seq, registered_at=_at(on), cancels=cancels, reason="registered twice"
    ), subject


def certificate(
    no: str, holder: str, group: str, start: date, until: date | None = None, line: int = 2
) -> tuple[Contract, str]:
    record = CertificateIssued(
        certificate_no=no,
        pin=holder,
        issued_at=start,
        source_file=f"mse_{start:%Y%m%d}.csv",
        line=line,
        group=group,
        valid_from=start,
        valid_until=until,
    )  # type: ignore[arg-type]
    return record, holder


def tick(day: date) -> tuple[Contract, None]:
    return DayStarted(day=day), None


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 15), BAKU)


MOTHER, FATHER, GRANNY, HOLDER = "5XH81PZ", "3JK5L7M", "2BC4D6F", "4RT7Y2K"
KIDS = ("7KQ2M9A", "7KQ2M9B", "7KQ2M9C", "7KQ2M9D", "7KQ2M9E")


def family() -> Feed:
    """A mother of four (twins third and fourth), a dead grandmother, a group II holder."""
    return [
        person(MOTHER, date(1994, 7, 12)),
        person(FATHER, date(1990, 1, 3), "M"),
        person(GRANNY, date(1950, 2, 2)),
        person(HOLDER, date(1980, 5, 5), "M"),
        *(person(k, date(2024, 1, 1)) for k in KIDS[:4]),
        birth(1, "B-2022-0000001", KIDS[4], date(2022, 12, 30), MOTHER, FATHER),
        birth(2, "B-2024-0000002", KIDS[0], date(2024, 5, 1), MOTHER, FATHER),
        birth(3, "B-2025-0000003", KIDS[1], date(2025, 8, 1), MOTHER, FATHER),
        birth(4, "B-2025-0000004", KIDS[2], date(2025, 8, 1), MOTHER, FATHER),
        death(5, "D-2026-0000001", GRANNY, date(2026, 2, 28), MOTHER),
        certificate("MSE-26-004512", HOLDER, "II", date(2026, 3, 10), date(2027, 3, 10)),
    ]
