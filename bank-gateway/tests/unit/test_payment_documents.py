"""Ready payments cut into pain.001 documents named by what they hold."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from bank_gateway.ids import end_to_end_id, message_id
from bank_gateway.pain001 import Debtor, check_pain001
from bank_gateway.payment_documents import chunks, compose, remittance, submission_key
from benefits_shared.clock import BAKU

DEBTOR = Debtor("Sosial Müavinətlər Agentliyi", "AZ21NABZ00000000137010001944", "NABZAZ2X")
IBAN = "AZ21NABZ00000000137010001944"
AT = datetime(2026, 4, 1, 10, 0, tzinfo=BAKU)


def row(n: int, **extra: object) -> dict[str, object]:
    pid = f"00000000-0000-0000-0000-{n:012d}"
    return {
        "payment_id": pid,
        "end_to_end_id": end_to_end_id(pid),
        "creditor_name": "Əliyeva Şəbnəm",
        "iban": IBAN,
        "amount": Decimal("170.32"),
        "benefit": "B2",
        "period_start": date(2026, 3, 10),
        "period_end": date(2026, 3, 31),
    } | extra


def test_a_document_is_named_by_its_payments_whatever_their_order() -> None:
    first = compose([row(1), row(2)], DEBTOR, AT, AT.date())
    again = compose([row(2), row(1)], DEBTOR, AT, AT.date())
    assert (
        first.msg_id
        == again.msg_id
        == message_id([str(row(1)["payment_id"]), str(row(2)["payment_id"])])
    )
    assert first.idempotency_key == submission_key(first.msg_id)
    check_pain001(first.document)
    assert "Əliyeva Şəbnəm".encode() in first.document


def test_the_same_payments_built_twice_give_the_same_bytes() -> None:
    assert (
        compose([row(1)], DEBTOR, AT, AT.date()).document
        == compose([row(1)], DEBTOR, AT, AT.date()).document
    )


def test_payments_are_cut_into_documents_of_a_given_size() -> None:
    assert [len(c) for c in chunks(list(range(17)), 7)] == [7, 7, 3]


def test_the_remittance_names_the_benefit_and_the_days() -> None:
    assert remittance(row(1)) == "Disability allowance 10.03.2026-31.03.2026"
    assert remittance(row(1, benefit="B1", period_start=None, period_end=None)) == "Birth grant"
