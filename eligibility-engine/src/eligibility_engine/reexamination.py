"""The "re-examination due" notice of a child-group allowance (docs/policy.md, B2).

Sent a lead time (30 days) before the child's 18th birthday, to the payee, SMS only, no
payment, once per person. If the entitlement starts later than that day, the notice is
due on its first day; if it ends before that day (death, expiry), there is none. A clock
tick that comes late still sends it while the entitlement runs.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from eligibility_engine.facts import Period, Person
from eligibility_engine.outcomes import RuleResult


def notice_day(holder: Person, period: Period, adult_age: int, lead_days: int) -> date | None:
    """The day the notice is due for this entitlement, or None if it never is."""
    due = max(holder.turns(adult_age) - timedelta(days=lead_days), period.start)
    return due if period.end is None or due <= period.end else None


def notice(decided: RuleResult, on: date) -> RuleResult | None:
    """The notice to send on ``on`` for a B2 decision made that day, or None.

    The caller makes it once per person: one case per holder (``decision_ids``). The
    notice keeps the entitlement, so that it can state the monthly rate and the last day.
    """
    due, entitled = decided.reexamination_on, decided.entitlement
    if due is None or entitled is None or decided.recipient is None or on < due:
        return None
    if entitled.end is not None and on > entitled.end:
        return None
    why = f"child-group entitlement until {entitled.end}: re-examination notice due from {due}"
    return dataclasses.replace(
        decided,
        outcome="reexamination_due",
        reason=f"B2 reexamination_due: {why}.",
        recovery=None,
    )
