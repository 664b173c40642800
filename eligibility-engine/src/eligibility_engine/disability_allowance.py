"""B2 — Disability allowance: the entitlement of one MSE certificate (policy.md, B2).

The entitlement runs from ``valid_from`` (not before the programme start) to the earliest
of: the day before ``valid_until``, the date of death, for the child group the day before
the 18th birthday, the day before a newer certificate of the same person starts (it
replaces this one: no day is paid twice), and the day before a revocation takes effect.
A holder who died before ``valid_from`` gets nothing, whatever order the events came in.

Payee: the holder (groups I–III); for the child group the mother, else the father (see
``recipients``); else unresolved. Outcome against what the case held before: ``assigned``,
``ended`` (cut short, or its last day has passed), ``revoked`` (no day left) or
``rejected`` (never any day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from benefits_shared.contracts.decisions import Outcome

from eligibility_engine import recipients
from eligibility_engine.entitlements import Entitlement, rate_schedule
from eligibility_engine.facts import DisabilityCase, Period, Person, person_fact
from eligibility_engine.outcomes import RecoveryCase, RuleResult
from eligibility_engine.parameters import ParameterReading, Parameters

RULE_VERSION = "B2-disability-allowance/1"
PROGRAMME_START = "disability_allowance.programme_start"
ADULT_AGE = "persons.adult_age"
NOTICE_LEAD = "disability_allowance.reexamination_notice_lead"
DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Span:
    """The entitled days (None: not one) and why it stops where it does."""

    period: Period | None
    why: str


def decide(case: DisabilityCase, parameters: Parameters, on: date) -> RuleResult:
    """The entitlement of ``case.certificate`` as decided on ``on``."""
    holder = case.persons.get(case.certificate.holder_pin)
    used = [parameters.reading(PROGRAMME_START, on)]
    if holder is None:
        why = "the certificate holder is not known to the population registry"
        return _result(case, on, "unresolved", why, used)
    adult_age = None
    if case.certificate.group == "CHILD":
        used.append(parameters.reading(ADULT_AGE, on))
        adult_age = used[-1].count
    span = entitled_span(case, holder, used[0].day, adult_age)
    if span.period is None:
        outcome: Outcome = "revoked" if case.current else "rejected"
        recovery = _recovery(case, None)
        return _result(case, on, outcome, span.why, used, recovery=recovery)
    payee = _payee(case, holder, on)
    if payee.person is None:
        return _result(case, on, "unresolved", f"{span.why}; {payee.explain()}", used)
    return _entitled(case, parameters, on, span, payee, used, adult_age)


def _entitled(
    case: DisabilityCase,
    parameters: Parameters,
    on: date,
    span: Span,
    payee: recipients.Choice,
    used: list[ParameterReading],
    adult_age: int | None,
) -> RuleResult:
    assert span.period is not None
    group = case.certificate.group
    rates, readings = rate_schedule(parameters, group, span.period)
    used.extend(readings)
    notice = None
    if adult_age is not None:
        holder = case.persons[case.certificate.holder_pin]
        notice = _reexamination_on(holder, span.period, parameters, on, used, adult_age)
    outcome = _assigned_or_ended(case.current, span.period, on)
    why = f"group {group} from {span.period.start}, {span.why}; {payee.explain()}"
    return _result(
        case,
        on,
        outcome,
        why,
        used,
        payee.person,
        Entitlement(group, span.period, rates),
        _recovery(case, span.period),
        notice,
    )


def entitled_span(
    case: DisabilityCase, holder: Person, programme_start: date, adult_age: int | None
) -> Span:
    """The days the certificate entitles its holder to; ``adult_age`` for the child group."""
    cert, died = case.certificate, holder.date_of_death
    if died is not None and died < cert.valid_from:
        return Span(None, f"the holder died on {died}, before the certificate's valid_from")
    start = max(cert.valid_from, programme_start)
    ends = _ends(case, holder, adult_age)
    if not ends:
        return Span(Period(start), "open-ended (no valid_until, death or newer certificate)")
    end, why = min(ends)
    if end < start:
        return Span(None, f"it ends on {end} ({why}), before it starts on {start}")
    return Span(Period(start, end), f"until {end} ({why})")


def _ends(case: DisabilityCase, holder: Person, adult_age: int | None) -> list[tuple[date, str]]:
    cert = case.certificate
    ends: list[tuple[date, str]] = []
    if cert.valid_until is not None:
        ends.append((cert.valid_until - DAY, "the day before valid_until"))
    if holder.date_of_death is not None:
        ends.append((holder.date_of_death, "the date of death"))
    if adult_age is not None:
        birthday = holder.turns(adult_age)
        ends.append((birthday - DAY, f"the day before the {adult_age}th birthday"))
    for newer in case.certificates:
        if newer.certificate_no != cert.certificate_no and newer.issued_after(cert):
            why = f"the day before certificate {newer.certificate_no} replaces it"
            ends.append((newer.valid_from - DAY, why))
    if cert.revoked_from is not None:
        ends.append((cert.revoked_from - DAY, "the day before the revocation takes effect"))
    return ends


def _payee(case: DisabilityCase, holder: Person, on: date) -> recipients.Choice:
    if case.certificate.group != "CHILD":
        return recipients.Choice(holder, "holder")
    return recipients.parent(holder.mother_pin, holder.father_pin, case.persons, on)


def _assigned_or_ended(current: Period | None, period: Period, on: date) -> Outcome:
    if current is None:
        return "assigned"
    over = period.end is not None and on > period.end
    return "ended" if over or period.ends_before(current) else "assigned"


def _recovery(case: DisabilityCase, period: Period | None) -> RecoveryCase | None:
    """Days paid that the entitlement no longer covers."""
    paid, current = case.paid_through, case.current
    if paid is None or current is None:
        return None
    if period is None:
        return RecoveryCase("days were paid that are no longer due", current.start, paid)
    if period.end is not None and paid > period.end:
        return RecoveryCase("days were paid that are no longer due", period.end + DAY, paid)
    return None


def _reexamination_on(
    holder: Person,
    period: Period,
    parameters: Parameters,
    on: date,
    used: list[ParameterReading],
    adult_age: int,
) -> date | None:
    """Child group: the day of the "re-examination due" notice (lead days before the adult
    birthday, or the first entitled day if later), if the entitlement still runs then."""
    lead = parameters.reading(NOTICE_LEAD, on)
    used.append(lead)
    due = max(holder.turns(adult_age) - timedelta(days=lead.count), period.start)
    return due if period.end is None or due <= period.end else None


def reexamination_notice(
    case: DisabilityCase, parameters: Parameters, on: date
) -> RuleResult | None:
    """The "re-examination due" notice to send on ``on`` (a clock tick), or None.

    Due from its day for as long as the entitlement runs (a late tick still sends it);
    the caller makes it once per person (one case per holder, see ``decision_ids``).
    """
    decided = decide(case, parameters, on)
    due, entitled = decided.reexamination_on, decided.entitlement
    if due is None or entitled is None or on < due:
        return None
    if entitled.end is not None and on > entitled.end:
        return None
    why = f"the child-group entitlement runs until {entitled.end}; notice due from {due}"
    return RuleResult(
        "B2",
        "reexamination_due",
        f"B2 reexamination_due: {why}.",
        RULE_VERSION,
        decided.parameters,
        decided.facts,
        decided.recipient,
        reexamination_on=due,
    )


def _result(
    case: DisabilityCase,
    on: date,
    outcome: Outcome,
    why: str,
    used: list[ParameterReading],
    recipient: Person | None = None,
    entitlement: Entitlement | None = None,
    recovery: RecoveryCase | None = None,
    notice: date | None = None,
) -> RuleResult:
    facts: dict[str, Any] = {
        "decided_on": on.isoformat(),
        "certificate": case.certificate.as_fact(),
        "holder": person_fact(case.persons, case.certificate.holder_pin),
        "other_certificates": [
            c.as_fact()
            for c in case.certificates
            if c.certificate_no != case.certificate.certificate_no
        ],
        "current": case.current.as_fact() if case.current else None,
        "paid_through": case.paid_through.isoformat() if case.paid_through else None,
    }
    if recovery is not None:
        why = f"{why}; recovery case for {recovery.days_from} … {recovery.days_through}"
    return RuleResult(
        "B2",
        outcome,
        f"B2 {outcome}: {why}.",
        RULE_VERSION,
        tuple(used),
        facts,
        recipient,
        None,
        entitlement,
        recovery,
        notice,
    )
