"""Decisions as the eligibility engine publishes them, built with the BenefitDecided contract."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from benefits_shared.clock import BAKU
from benefits_shared.cloudevents import deterministic_id
from benefits_shared.contracts import Contract
from benefits_shared.contracts.decisions import BenefitDecided, Entitlement, RatePeriod, Recipient
from benefits_shared.kafka.consumer_loop import Delivery
from benefits_shared.service_runtime import Received

GROUP_RATES = {
    "I": ("300.00", "330.00"),
    "II": ("220.00", "240.00"),
}
#: An IBAN of the right form, for accounts the tests open.
IBAN = "AZ21NABZ00000000137010001944"
SURNAMES = ("Məmmədova", "Əliyeva", "Hüseynova", "Quliyeva", "Şükürova")


def on(payload: Contract) -> Delivery[Received]:
    """``payload`` as the gateway's consumer receives it (a CloudEvent of 2026-04-01)."""
    event = payload.to_cloudevent("/test", datetime(2026, 4, 1, 12, tzinfo=BAKU), None)
    return Delivery(None, Received(event, payload))


def pin(n: int) -> str:
    """A valid PIN (7 of [0-9A-HJ-NP-Z]) for person ``n``."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    digits = []
    for _ in range(7):
        n, r = divmod(n, len(alphabet))
        digits.append(alphabet[r])
    return "".join(reversed(digits))


def recipient(n: int) -> Recipient:
    return Recipient(
        pin=pin(n),
        full_name=f"Leyla {SURNAMES[n % len(SURNAMES)]}",
        birth_date=date(1990, 1, 1 + n % 28),
        phone=f"+99450{n:07d}",
    )


def _decision(case_id: str, benefit: str, outcome: str, **fields: Any) -> BenefitDecided:
    supersedes = fields.get("supersedes")
    decision_id = str(deterministic_id("test-decision", case_id, outcome, supersedes or "-"))
    base: dict[str, Any] = {
        "decision_id": decision_id,
        "case_id": case_id,
        "benefit": benefit,
        "outcome": outcome,
        "decided_on": date(2026, 1, 5),
        "rule_version": f"{benefit}-test/1",
        "parameters": {},
        "facts": {},
        "reason": f"{benefit} {outcome} (test)",
    }
    return BenefitDecided(**(base | fields))


def grant(case_no: int, person: int, amount: str, benefit: str = "B1") -> BenefitDecided:
    """A one-time grant (B1 birth, B3 funeral) assigned to person ``person``."""
    return _decision(
        f"{benefit}:case-{case_no}",
        benefit,
        "assigned",
        recipient=recipient(person),
        amount=Decimal(amount),
    )


def superseded(earlier: BenefitDecided, person: int, amount: str) -> BenefitDecided:
    """The engine's correction of a grant: another recipient or amount (a late fact)."""
    return _decision(
        earlier.case_id,
        earlier.benefit,
        "assigned",
        recipient=recipient(person),
        amount=Decimal(amount),
        supersedes=earlier.decision_id,
    )


def allowance(
    certificate: str, person: int, group: str, start: date, end: date | None = None
) -> BenefitDecided:
    """A B2 entitlement of the 2023/2026 rates (docs/policy.md), assigned to person ``person``."""
    return _decision(
        f"B2:{certificate}",
        "B2",
        "assigned",
        recipient=recipient(person),
        entitlement=_entitlement(group, start, end),
    )


def holder_died(assigned: BenefitDecided, died: date) -> BenefitDecided:
    """The engine's decision when the holder (the payee) dies: the entitlement ends that day
    and the facts say who died when (``facts.holder``), as the engine records them."""
    assert assigned.entitlement is not None and assigned.recipient is not None
    entitlement = _entitlement(assigned.entitlement.group, assigned.entitlement.start, died)
    holder = {
        "pin": assigned.recipient.pin,
        "birth_date": assigned.recipient.birth_date.isoformat(),
        "date_of_death": died.isoformat(),
    }
    return _decision(
        assigned.case_id,
        "B2",
        "ended",
        recipient=assigned.recipient.model_copy(update={"phone": None}),
        entitlement=entitlement,
        supersedes=assigned.decision_id,
        facts={"holder": holder},
    )


def ended_by_death(assigned: BenefitDecided, died: date, paid_through: date) -> BenefitDecided:
    """The engine's decision when a death is reported after days past it were paid."""
    assert assigned.entitlement is not None
    entitlement = _entitlement(assigned.entitlement.group, assigned.entitlement.start, died)
    recovery = {
        "why": "days were paid that are no longer due",
        "days_from": date.fromordinal(died.toordinal() + 1).isoformat(),
        "days_through": paid_through.isoformat(),
    }
    return _decision(
        assigned.case_id,
        "B2",
        "ended",
        recipient=assigned.recipient,
        entitlement=entitlement,
        supersedes=assigned.decision_id,
        facts={"recovery_case": recovery},
    )


def _entitlement(group: str, start: date, end: date | None) -> Entitlement:
    old, new = GROUP_RATES[group]
    rates = (
        RatePeriod(from_month=date(2023, 1, 1), monthly_rate=Decimal(old)),
        RatePeriod(from_month=date(2026, 1, 1), monthly_rate=Decimal(new)),
    )
    return Entitlement(group=group, start=start, end=end, rates=rates)  # type: ignore[arg-type]


def revoked(assigned: BenefitDecided) -> BenefitDecided:
    """The engine's decision when the record behind a grant is cancelled."""
    return _decision(assigned.case_id, assigned.benefit, "revoked", supersedes=assigned.decision_id)
