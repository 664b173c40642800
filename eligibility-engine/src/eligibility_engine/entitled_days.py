"""Which days one MSE certificate entitles its holder to (docs/policy.md, B2).

From ``valid_from`` (not before the programme start) to the earliest of: the day before
``valid_until``, the date of death, for the child group the day before the adult
birthday, the day before a newer certificate of the same person starts (it replaces this
one, so no day is paid twice), and the day before a revocation takes effect. A holder who
died before ``valid_from`` gets no day, whatever order the events came in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from eligibility_engine.facts import DisabilityCase, Period, Person

DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Span:
    """The entitled days (None: not one) and why they stop where they do."""

    period: Period | None
    why: str


def entitled_span(
    case: DisabilityCase, holder: Person, programme_start: date, adult_age: int | None
) -> Span:
    """The days ``case.certificate`` entitles to; ``adult_age`` is given for the child group."""
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
        ends.append((holder.turns(adult_age) - DAY, f"the day before the {adult_age}th birthday"))
    for newer in case.certificates:
        if newer.certificate_no != cert.certificate_no and newer.issued_after(cert):
            why = f"the day before certificate {newer.certificate_no} replaces it"
            ends.append((newer.valid_from - DAY, why))
    if cert.revoked_from is not None:
        ends.append((cert.revoked_from - DAY, "the day before the revocation takes effect"))
    return ends
