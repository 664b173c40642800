"""A batch's events sorted into rows that end as if applied one by one, in order."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from benefits_shared.contracts.clock import DayStarted
from benefits_shared.contracts.life_events import (
    BirthRegistered,
    CertificateIssued,
    CertificateRevoked,
    Child,
    RecordCancelled,
)
from benefits_shared.contracts.payments import PaymentSettled
from benefits_shared.contracts.persons import PersonRecord
from eligibility_engine.adapters.fact_rows import BatchFacts, original, source_order

AT = datetime(2025, 3, 1, 8, tzinfo=UTC)


def person(seq: int, surname: str) -> PersonRecord:
    return PersonRecord(
        pin="MUM0001",
        given_name="Leyla",
        surname=surname,
        birth_date=date(1994, 7, 12),
        sex="F",
        registry_seq=seq,
    )


def birth(no: str, mother: str) -> BirthRegistered:
    child = Child(pin="KID0001", given_name="A", surname="B", birth_date=date(2025, 3, 1), sex="F")
    return BirthRegistered(
        record_no=no, seq=1, registered_at=AT, office="Baku", child=child, mother_pin=mother
    )


def certificate(line: int, pin: str) -> CertificateIssued:
    return CertificateIssued(
        certificate_no="MSE-1",
        pin=pin,
        issued_at=date(2025, 3, 1),
        source_file="mse_20250301.csv",
        line=line,
        group="II",
        valid_from=date(2025, 3, 1),
    )


def sorted_out(*payloads: object) -> BatchFacts:
    facts = BatchFacts()
    for position, payload in enumerate(payloads):
        facts.add(position, payload)
    return facts


def test_of_several_versions_of_a_person_the_last_with_the_highest_order_wins() -> None:
    facts = sorted_out(
        person(5, "First"), person(7, "Second"), person(3, "Stale"), person(7, "Third")
    )
    position, row = facts.persons["MUM0001"]
    assert (position, row[2]) == (3, 7)
    assert '"Third"' in row[1]
    assert facts.person_seeds == [(0, "MUM0001"), (1, "MUM0001"), (2, "MUM0001"), (3, "MUM0001")]


def test_of_several_copies_of_a_record_the_first_is_kept_and_every_copy_refolds_it() -> None:
    facts = sorted_out(birth("B-1", "MUM0001"), birth("B-1", "MUM0002"))
    assert facts.births["B-1"][0] == 0
    assert facts.births["B-1"][1][3] == "MUM0001"
    assert facts.record_events == [(0, "B-1"), (1, "B-1")]


def test_a_cancellation_refolds_the_record_it_cancels() -> None:
    cancel = RecordCancelled(record_no="K-1", seq=2, registered_at=AT, cancels="B-1")
    facts = sorted_out(cancel)
    assert facts.amendments["K-1"] == (0, ("K-1", "B-1", "cancel", '{"reason": ""}', 2))
    assert facts.record_events == [(0, "B-1")]


def test_of_several_rows_of_a_certificate_the_latest_in_the_feed_wins() -> None:
    facts = sorted_out(certificate(9, "HLD0001"), certificate(3, "HLD0002"))
    assert [row[1] for row in facts.winning_certificates()] == ["HLD0001"]
    assert facts.holder_seeds == [(0, "HLD0001"), (1, "HLD0002")]


def test_a_revocation_is_an_amendment_of_its_certificate() -> None:
    revoked = CertificateRevoked(
        certificate_no="MSE-1",
        pin="HLD0001",
        issued_at=date(2025, 6, 1),
        source_file="mse_20250601.csv",
        line=4,
        effective_from=date(2025, 7, 1),
    )
    facts = sorted_out(revoked)
    _, row = facts.amendments["revoke:MSE-1"]
    assert row[1:3] == ("MSE-1", "revoke")
    assert facts.revoked == {"MSE-1"}


def test_payments_of_a_case_add_up_to_paid_and_the_latest_day_paid() -> None:
    def settled(end: date | None) -> PaymentSettled:
        return PaymentSettled(
            payment_id=f"P-{end}",
            decision_id="d",
            case_id="B2:MSE-1",
            recipient_pin="HLD0001",
            amount=Decimal("1"),
            period_end=end,
        )

    facts = sorted_out(settled(date(2025, 5, 31)), settled(None), settled(date(2025, 4, 30)))
    assert facts.payments == {"B2:MSE-1": (True, date(2025, 5, 31))}


def test_ticks_are_kept_in_order() -> None:
    facts = sorted_out(DayStarted(day=date(2026, 1, 2)), DayStarted(day=date(2026, 1, 1)))
    assert facts.ticks == [date(2026, 1, 2), date(2026, 1, 1)]


def test_the_original_of_a_record_is_what_was_registered() -> None:
    row = sorted_out(birth("B-1", "MUM0001")).births["B-1"][1]
    assert original("birth", row) == {
        "child_pin": "KID0001",
        "birth_date": "2025-03-01",
        "mother_pin": "MUM0001",
        "father_pin": None,
    }


def test_the_mse_feed_is_ordered_by_file_day_upload_and_line() -> None:
    assert source_order("drop/mse_20250301_2.csv", 7) > source_order("mse_20250301.csv", 900)
    assert source_order("mse_20250302.csv", 1) > source_order("mse_20250301_9.csv", 999)
