"""What a rule decides: the outcome and everything needed to explain and re-derive it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from benefits_shared.contracts.decisions import Benefit, Outcome

from eligibility_engine.entitlements import Entitlement
from eligibility_engine.facts import Person
from eligibility_engine.parameters import ParameterReading


@dataclass(frozen=True, slots=True)
class RecoveryCase:
    """Money paid that turned out not to be due: ops recover it, nothing is clawed back.

    ``days_from`` … ``days_through``: the B2 days paid but not due (None for a grant).
    """

    why: str
    days_from: date | None = None
    days_through: date | None = None


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One decision of one case, as the rules made it.

    ``amount`` is set for an assigned one-time grant (B1, B3), ``entitlement`` for an
    assigned or ended monthly allowance (B2). ``facts`` is JSON-ready: what was read.
    """

    benefit: Benefit
    outcome: Outcome
    reason: str
    rule_version: str
    parameters: tuple[ParameterReading, ...]
    facts: Mapping[str, Any] = field(hash=False)
    recipient: Person | None = None
    amount: Decimal | None = None
    entitlement: Entitlement | None = None
    recovery: RecoveryCase | None = None
    reexamination_on: date | None = None

    def parameter_values(self) -> dict[str, str]:
        """``{"birth_grant.base_amount@2025-01-01": "250.00", ...}``: what a decision records."""
        return {reading.key: reading.text for reading in self.parameters}
