"""Everything the bank does is one of these facts, appended to its journal.

The journal is the bank's memory: replaying it after a restart rebuilds accounts,
messages, settled credits and stored idempotent answers, and a test can read it after a
run (every ``credit_settled`` line is money that moved).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    at: datetime


class AccountOpened(Fact):
    kind: Literal["account_opened"] = "account_opened"
    account_id: str
    iban: str
    pin: str
    full_name: str
    birth_date: date
    phone: str | None


class AccountClosed(Fact):
    kind: Literal["account_closed"] = "account_closed"
    iban: str


class PersonDeceased(Fact):
    kind: Literal["person_deceased"] = "person_deceased"
    pin: str


class Transfer(BaseModel):
    """One credit transfer of a document, and the refusal decided on receipt, if any."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pmt_inf_id: str
    end_to_end_id: str
    iban: str
    amount: Decimal
    refused: str | None = None


class DocumentAccepted(Fact):
    kind: Literal["document_accepted"] = "document_accepted"
    msg_id: str
    digest: str
    transfers: tuple[Transfer, ...]


class CreditSettled(Fact):
    kind: Literal["credit_settled"] = "credit_settled"
    msg_id: str
    end_to_end_id: str
    iban: str
    amount: Decimal
    currency: Literal["AZN"] = "AZN"


class CreditRejected(Fact):
    kind: Literal["credit_rejected"] = "credit_rejected"
    msg_id: str
    end_to_end_id: str
    reason: str


class AnswerStored(Fact):
    """The first answer to an idempotency key, replayed to every repeat of it."""

    kind: Literal["answer_stored"] = "answer_stored"
    key: str
    fingerprint: str
    status_code: int
    body: str
    media_type: str


Event = Annotated[
    AccountOpened
    | AccountClosed
    | PersonDeceased
    | DocumentAccepted
    | CreditSettled
    | CreditRejected
    | AnswerStored,
    Field(discriminator="kind"),
]
EVENT: TypeAdapter[Event] = TypeAdapter(Event)
