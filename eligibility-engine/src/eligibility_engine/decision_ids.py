"""Deterministic identities: of a benefit case, and of each decision in it.

A case is what payments and notices hang on (``B1:<child PIN hash>``, ``B2:<certificate
no>``, ``B3:<deceased PIN hash>``); PINs are hashed with the keyed ``PinHasher`` so that
a case id can appear in keys and logs.

A decision id is a uuid5 of the case, the decision's content (``fingerprint``) and the
decision it supersedes. Re-deciding the same facts gives the same content, hence the same
id, and every consumer's unique constraint drops the copy; a different outcome, amount,
entitlement or recipient gives another id. Including ``supersedes`` keeps a case that goes
A → B → A from reusing A's id for its third decision. Reason text, recorded facts, the
decision day, phone and rule version are not content: a replay that reaches the same
result under new wording or a new rule version is the same decision.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from benefits_shared.cloudevents import deterministic_id_text
from benefits_shared.money import round_half_up
from benefits_shared.pin import PinHasher

from eligibility_engine.case_keys import CaseKey
from eligibility_engine.entitlements import Entitlement
from eligibility_engine.outcomes import RuleResult


def birth_grant_case(child_pin: str, hasher: PinHasher) -> str:
    return f"B1:{hasher.digest(child_pin)}"


def disability_case(certificate_no: str) -> str:
    return f"B2:{certificate_no}"


def reexamination_case(holder_pin: str, hasher: PinHasher) -> str:
    """The "re-examination due" notice is once per person, whatever certificate."""
    return f"B2-reexamination:{hasher.digest(holder_pin)}"


def funeral_case(deceased_pin: str, hasher: PinHasher) -> str:
    return f"B3:{hasher.digest(deceased_pin)}"


def case_of(key: CaseKey, hasher: PinHasher) -> str:
    """The case id of ``key``: the one place a case key becomes its id."""
    if key.benefit == "B1":
        return birth_grant_case(key.subject, hasher)
    if key.benefit == "B2":
        return disability_case(key.subject)
    return funeral_case(key.subject, hasher)


def decision_id(
    case_id: str, result: RuleResult, supersedes: str | None = None, content: str | None = None
) -> str:
    """``content``: ``fingerprint(result)`` when the caller has it already (the case book
    compares it with the case's last one first), so that it is hashed once."""
    content = content or fingerprint(result)
    return deterministic_id_text("benefit-decision", case_id, content, supersedes or "-")


def fingerprint(result: RuleResult) -> str:
    """The hash of what the decision says (not how it explains it)."""
    content = {
        "benefit": result.benefit,
        "outcome": result.outcome,
        "recipient": result.recipient.pin if result.recipient else None,
        "amount": _money(result.amount),
        "entitlement": _entitlement(result.entitlement),
        "recovery": _recovery(result),
        "reexamination_on": _day(result.reexamination_on),
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _entitlement(entitlement: Entitlement | None) -> dict[str, Any] | None:
    if entitlement is None:
        return None
    return {
        "group": entitlement.group,
        "start": _day(entitlement.start),
        "end": _day(entitlement.end),
        "rates": [[_day(r.from_month), _money(r.monthly_rate)] for r in entitlement.rates],
    }


def _recovery(result: RuleResult) -> list[str | None] | None:
    recovery = result.recovery
    if recovery is None:
        return None
    return [_day(recovery.days_from), _day(recovery.days_through)]


def _money(amount: Decimal | None) -> str | None:
    return str(round_half_up(amount)) if amount is not None else None


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None
