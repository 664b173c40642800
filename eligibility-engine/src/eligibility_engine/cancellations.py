"""What a cancelled civil-registry record does to the one-time grant it triggered.

docs/policy.md (B1): a cancelled record revokes the grant if it is not yet paid; if it was
already paid, the grant stays (with whom it was paid to) and a recovery case is opened
for ops: nothing is clawed back automatically. The engine applies the same to a cancelled
death record and its funeral allowance (B3), where the policy is silent (docs/policy.md).
"""

from __future__ import annotations

from collections.abc import Mapping

from benefits_shared.contracts.decisions import Outcome

from eligibility_engine import recipients
from eligibility_engine.facts import GrantState, Person
from eligibility_engine.outcomes import RecoveryCase


def withdrawn(grant: GrantState) -> Outcome | None:
    """The outcome for a cancelled record: revoked (was assigned), rejected (never was),
    or None when the grant was paid and stays."""
    if grant == "paid":
        return None
    return "revoked" if grant == "assigned" else "rejected"


def kept_with(
    persons: Mapping[str, Person], granted_to: str | None, roles: Mapping[str, str | None]
) -> recipients.Choice | None:
    """Whom a paid grant stays with (``roles``: role → PIN on the record), if known."""
    person = persons.get(granted_to or "")
    if person is None:
        return None
    role = next((r for r, pin in roles.items() if pin == person.pin), "recipient")
    return recipients.Choice(person, role)


def recovery(record_no: str) -> RecoveryCase:
    return RecoveryCase(f"record {record_no} was cancelled after the grant was paid")
