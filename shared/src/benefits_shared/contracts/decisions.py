"""``benefit-decisions``: every decision of the eligibility engine.

A decision is never edited: a later one ``supersedes`` it. Its id is deterministic (the
case, the outcome and the facts that led to it), so re-deciding the same facts yields the
same id and the unique constraint of every consumer drops the copy.

- ``case_id``: the business identity of the benefit case, e.g. ``B1:<child PIN hash>``,
  ``B2:<certificate no>``, ``B3:<deceased PIN hash>``: what payments and notices are tied to.
- one-time grants (B1, B3) carry ``amount``; monthly allowances (B2) carry an
  ``entitlement`` (a period and its rate schedule), which the bank gateway pays month by
  month.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from benefits_shared.cloudevents import deterministic_id_text
from benefits_shared.contracts.base import Contract
from benefits_shared.contracts.persons import Language
from benefits_shared.topics import BENEFIT_DECISIONS

Benefit = Literal["B1", "B2", "B3"]
Outcome = Literal["assigned", "rejected", "revoked", "ended", "unresolved", "reexamination_due"]


class Recipient(BaseModel):
    """Who is paid and told: a snapshot of the persons mirror when the engine decided."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    pin: str
    full_name: str
    birth_date: date
    phone: str | None = None
    language: Language = "az"


class RatePeriod(BaseModel):
    """The monthly rate in force for months starting on or after ``from_month``."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    from_month: date
    monthly_rate: Decimal


class Entitlement(BaseModel):
    """Days ``start`` … ``end`` inclusive (``end`` None: open-ended) of a monthly allowance."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    group: Literal["I", "II", "III", "CHILD"]
    start: date
    end: date | None = None
    rates: tuple[RatePeriod, ...]


class BenefitDecided(Contract):
    NAME: ClassVar[str] = "benefit-decided"
    TOPIC: ClassVar[str] = BENEFIT_DECISIONS.name

    decision_id: str
    case_id: str
    benefit: Benefit
    outcome: Outcome
    decided_on: date
    recipient: Recipient | None = None
    amount: Decimal | None = None
    entitlement: Entitlement | None = None
    supersedes: str | None = None
    rule_version: str
    parameters: dict[str, str]
    facts: dict[str, Any]
    reason: str

    def identity(self) -> tuple[str, ...]:
        return (self.decision_id,)


def decision_event_id(decision_id: str) -> str:
    """The ``ce_id`` of a decision's event: what its effects follow from (their trace's
    cause, ``benefits_shared.tracing``)."""
    return deterministic_id_text(BenefitDecided.type_name(), decision_id)
