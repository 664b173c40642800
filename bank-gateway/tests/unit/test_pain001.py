from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from importlib.resources import files

import pytest
from bank_gateway.errors import InvalidPaymentDocument
from bank_gateway.pain001 import (
    CreditTransfer,
    Debtor,
    PaymentBatch,
    build_pain001,
    check_pain001,
)
from benefits_shared.clock import BAKU
from lxml import etree

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
AGENCY = Debtor(
    name="Sosial Müavinətlər Agentliyi", iban="AZ21NABZ00000000137010001944", bic="NABZAZ2X"
)
SHABNAM = CreditTransfer(
    end_to_end_id="E2EONE",
    creditor_name="Əliyeva Şəbnəm",
    creditor_iban="AZ06SOCB00000000000000000001",
    amount=Decimal("170.32"),
    remittance="B2 2026-03",
)
IGOR = CreditTransfer(
    end_to_end_id="E2ETWO",
    creditor_name="Игорь Петров",
    creditor_iban="AZ76SOCB00000000000000000002",
    amount=Decimal("250"),
    remittance="B1",
)


def batch(*transfers: CreditTransfer, msg_id: str = "MSG1") -> PaymentBatch:
    return PaymentBatch(
        msg_id=msg_id,
        created_at=datetime(2026, 4, 1, 10, 30, tzinfo=BAKU),
        execution_date=date(2026, 4, 2),
        transfers=transfers,
    )


def official_schema() -> etree.XMLSchema:
    with files("sepaxml").joinpath("schemas", "pain.001.001.09.xsd").open("rb") as xsd:
        return etree.XMLSchema(etree.parse(xsd))


def test_the_document_is_valid_against_the_official_xsd() -> None:
    xml = build_pain001(batch(SHABNAM, IGOR), AGENCY)
    assert official_schema().validate(etree.fromstring(xml))


def test_azerbaijani_and_cyrillic_names_are_kept_intact() -> None:
    document = etree.fromstring(build_pain001(batch(SHABNAM, IGOR), AGENCY))
    names = [n.text for n in document.iterfind(".//p:Cdtr/p:Nm", NS)]
    assert names == ["Əliyeva Şəbnəm", "Игорь Петров"]
    assert document.findtext(".//p:Dbtr/p:Nm", namespaces=NS) == "Sosial Müavinətlər Agentliyi"


def test_the_header_counts_and_sums_the_transfers() -> None:
    document = etree.fromstring(build_pain001(batch(SHABNAM, IGOR), AGENCY))
    for header in ("p:CstmrCdtTrfInitn/p:GrpHdr", ".//p:PmtInf"):
        assert document.findtext(f"{header}/p:NbOfTxs", namespaces=NS) == "2"
        assert document.findtext(f"{header}/p:CtrlSum", namespaces=NS) == "420.32"


def test_amounts_are_azn_with_exactly_two_decimals() -> None:
    document = etree.fromstring(build_pain001(batch(SHABNAM, IGOR), AGENCY))
    amounts = [(a.text, a.get("Ccy")) for a in document.iterfind(".//p:InstdAmt", NS)]
    assert amounts == [("170.32", "AZN"), ("250.00", "AZN")]


def test_debtor_date_and_ids_come_from_the_batch_and_settings() -> None:
    document = etree.fromstring(build_pain001(batch(SHABNAM), AGENCY))
    assert document.findtext(".//p:GrpHdr/p:MsgId", namespaces=NS) == "MSG1"
    assert document.findtext(".//p:GrpHdr/p:CreDtTm", namespaces=NS) == "2026-04-01T10:30:00+04:00"
    assert document.findtext(".//p:ReqdExctnDt/p:Dt", namespaces=NS) == "2026-04-02"
    assert document.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == AGENCY.iban
    assert document.findtext(".//p:DbtrAgt/p:FinInstnId/p:BICFI", namespaces=NS) == "NABZAZ2X"
    assert document.findtext(".//p:PmtId/p:EndToEndId", namespaces=NS) == "E2EONE"


def test_the_same_batch_builds_the_same_bytes() -> None:
    first = build_pain001(batch(SHABNAM, IGOR), AGENCY)
    assert build_pain001(batch(SHABNAM, IGOR), AGENCY) == first


@pytest.mark.parametrize("amount", ["170.325", "0.00", "-5.00"])
def test_an_amount_that_is_not_a_positive_rounded_amount_is_refused(amount: str) -> None:
    transfer = CreditTransfer("E2E", "Əli", SHABNAM.creditor_iban, Decimal(amount), "B1")
    with pytest.raises(InvalidPaymentDocument):
        build_pain001(batch(transfer), AGENCY)


def test_an_iban_with_wrong_check_digits_is_refused() -> None:
    transfer = CreditTransfer("E2E", "Əli", "AZ97SOCB00000000000000000001", Decimal("1.00"), "B1")
    with pytest.raises(InvalidPaymentDocument, match="ending 0001 is not a valid"):
        build_pain001(batch(transfer), AGENCY)


def test_a_msg_id_longer_than_35_characters_fails_the_xsd() -> None:
    with pytest.raises(InvalidPaymentDocument, match="MsgId"):
        build_pain001(batch(SHABNAM, msg_id="M" * 36), AGENCY)


def test_an_end_to_end_id_used_twice_in_one_document_is_refused() -> None:
    with pytest.raises(InvalidPaymentDocument, match="appears 2 times"):
        build_pain001(batch(SHABNAM, SHABNAM), AGENCY)


def test_a_naive_creation_time_is_refused() -> None:
    naive = PaymentBatch("MSG1", datetime(2026, 4, 1, 10, 30), date(2026, 4, 2), (SHABNAM,))
    with pytest.raises(InvalidPaymentDocument, match="timezone"):
        build_pain001(naive, AGENCY)


@pytest.mark.parametrize(
    ("good", "bad", "complaint"),
    [
        ('Ccy="AZN"', 'Ccy="EUR"', "not AZN"),
        (">170.32<", ">170.3<", "two decimals"),
        ("<CtrlSum>420.32</CtrlSum>", "<CtrlSum>420.33</CtrlSum>", "CtrlSum 420.33"),
        ("<NbOfTxs>2</NbOfTxs>", "<NbOfTxs>3</NbOfTxs>", "NbOfTxs 3"),
    ],
)
def test_what_the_xsd_lets_through_is_still_checked(good: str, bad: str, complaint: str) -> None:
    xml = build_pain001(batch(SHABNAM, IGOR), AGENCY).decode()
    tampered = xml.replace(good, bad, 1).encode()
    assert official_schema().validate(etree.fromstring(tampered))
    with pytest.raises(InvalidPaymentDocument, match=complaint):
        check_pain001(tampered)


def test_text_that_is_not_xml_is_refused() -> None:
    with pytest.raises(InvalidPaymentDocument, match="not XML"):
        check_pain001(b"<Document>")
