"""The "re-examination due" notice: to the payee, no payment, while the entitlement runs."""

from __future__ import annotations

from datetime import date

from eligibility_engine.decision_ids import fingerprint
from eligibility_engine.disability_allowance import decide, reexamination_notice
from eligibility_engine.facts import Certificate, DisabilityCase, Person
from eligibility_engine.parameters import Parameters

PARAMETERS = Parameters.packaged()
MOTHER = Person("MUM0001", "Leyla", "Aliyeva", date(1980, 1, 1), "F", "+994501234567")
CERTIFICATE = Certificate("MSE-25-020001", "CHLD001", "CHILD", date(2025, 9, 1), date(2025, 9, 2))


def child(died: date | None = None) -> Person:
    return Person(
        "CHLD001",
        "Aysel",
        "Aliyeva",
        date(2008, 5, 10),
        "F",
        date_of_death=died,
        mother_pin="MUM0001",
    )


def case(holder: Person) -> DisabilityCase:
    return DisabilityCase(CERTIFICATE, {"CHLD001": holder, "MUM0001": MOTHER})


def test_the_notice_goes_to_the_payee_pays_nothing_and_states_the_entitlement() -> None:
    notice = reexamination_notice(case(child()), PARAMETERS, date(2026, 4, 10))
    decided = decide(case(child()), PARAMETERS, date(2026, 4, 10))
    assert notice is not None
    assert (notice.outcome, notice.reexamination_on) == ("reexamination_due", date(2026, 4, 10))
    assert notice.recipient == MOTHER
    assert notice.amount is None
    assert notice.entitlement == decided.entitlement  # the notice states rate and last day


def test_a_late_clock_tick_still_sends_it_while_the_entitlement_runs() -> None:
    assert reexamination_notice(case(child()), PARAMETERS, date(2026, 5, 9)) is not None
    assert reexamination_notice(case(child()), PARAMETERS, date(2026, 5, 10)) is None


def test_a_child_who_died_before_the_notice_day_gets_none() -> None:
    assert (
        decide(case(child(died=date(2026, 4, 1))), PARAMETERS, date(2026, 4, 2)).reexamination_on
        is None
    )
    assert (
        reexamination_notice(case(child(died=date(2026, 4, 1))), PARAMETERS, date(2026, 4, 10))
        is None
    )


def test_the_notice_is_a_decision_of_its_own() -> None:
    on = date(2026, 4, 10)
    notice = reexamination_notice(case(child()), PARAMETERS, on)
    assert notice is not None
    assert fingerprint(notice) != fingerprint(decide(case(child()), PARAMETERS, on))
