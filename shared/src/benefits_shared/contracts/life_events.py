"""``life-events``: what the civil registry and the MSE commission recorded.

Keyed by the keyed hash of the subject's PIN (the child, the deceased, the certificate
holder); a cancellation or correction is keyed like the record it refers to when the
connector has seen that record, else by a hash of the referred record number.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from benefits_shared.contracts.base import Contract
from benefits_shared.topics import LIFE_EVENTS

Sex = Literal["F", "M"]
DisabilityGroup = Literal["I", "II", "III", "CHILD"]


class Child(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    pin: str
    given_name: str
    surname: str
    birth_date: date
    sex: Sex


class CivilRecord(Contract):
    """Fields common to every civil-registry record; the id is the record number."""

    TOPIC: ClassVar[str] = LIFE_EVENTS.name

    record_no: str
    seq: int
    registered_at: datetime

    def identity(self) -> tuple[str, ...]:
        return (self.record_no,)


class BirthRegistered(CivilRecord):
    NAME: ClassVar[str] = "birth-registered"

    office: str
    child: Child
    mother_pin: str | None = None
    father_pin: str | None = None


class DeathRegistered(CivilRecord):
    NAME: ClassVar[str] = "death-registered"

    office: str
    deceased_pin: str
    death_date: date
    informant_pin: str | None = None


class RecordCancelled(CivilRecord):
    NAME: ClassVar[str] = "record-cancelled"

    cancels: str
    reason: str = ""


class RecordCorrected(CivilRecord):
    NAME: ClassVar[str] = "record-corrected"

    corrects: str
    changes: dict[str, Any]


class CertificateRecord(Contract):
    """A row of an MSE file; the id is the certificate and what the row says."""

    TOPIC: ClassVar[str] = LIFE_EVENTS.name

    certificate_no: str
    pin: str
    issued_at: date
    source_file: str
    line: int


class CertificateIssued(CertificateRecord):
    NAME: ClassVar[str] = "certificate-issued"

    group: DisabilityGroup
    valid_from: date
    valid_until: date | None = None

    def identity(self) -> tuple[str, ...]:
        until = self.valid_until.isoformat() if self.valid_until else "-"
        return (
            "ISSUED",
            self.certificate_no,
            self.pin,
            self.group,
            self.valid_from.isoformat(),
            until,
        )


class CertificateRevoked(CertificateRecord):
    NAME: ClassVar[str] = "certificate-revoked"

    effective_from: date

    def identity(self) -> tuple[str, ...]:
        return ("REVOKED", self.certificate_no, self.pin, self.effective_from.isoformat())
