"""Build the ``pain.001.001.09`` credit-transfer document of a batch of payments.

One group header and one payment-information block (``PmtInfId`` = ``MsgId``) debiting the
agency's account, one ``CdtTrfTxInf`` per payment. Names go in as they are: UTF-8, never
transliterated ("Əliyeva Şəbnəm" stays "Əliyeva Şəbnəm").

The document is checked before it is returned: against the official XSD, then for what
the XSD cannot say (see :mod:`bank_gateway.pain001_rules`). Build it once, store the bytes
and send the same bytes on every retry: the bank refuses a known ``MsgId`` or
idempotency key whose content differs, and ``CreDtTm`` is part of the content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from benefits_shared.money import CURRENCY, QEPIK
from lxml import etree
from lxml.builder import ElementMaker

from bank_gateway.errors import InvalidPaymentDocument
from bank_gateway.iso20022 import PAIN001, pain001_schema, parser, schema_errors
from bank_gateway.pain001_rules import rule_errors

E = ElementMaker(namespace=PAIN001, nsmap={None: PAIN001})


@dataclass(frozen=True, slots=True)
class Debtor:
    """Who pays: the agency's name and account, and the BIC of its bank (from settings)."""

    name: str
    iban: str
    bic: str


@dataclass(frozen=True, slots=True)
class CreditTransfer:
    end_to_end_id: str
    creditor_name: str
    creditor_iban: str
    amount: Decimal
    remittance: str


@dataclass(frozen=True, slots=True)
class PaymentBatch:
    msg_id: str
    created_at: datetime
    execution_date: date
    transfers: tuple[CreditTransfer, ...]


def build_pain001(batch: PaymentBatch, debtor: Debtor) -> bytes:
    """The checked document, UTF-8; InvalidPaymentDocument if it could not be valid."""
    if batch.created_at.tzinfo is None:
        raise InvalidPaymentDocument("CreDtTm needs a timezone-aware instant")
    if not batch.transfers:
        raise InvalidPaymentDocument("a payment document holds at least one transfer")
    document = E.Document(E.CstmrCdtTrfInitn(_group_header(batch, debtor), _payment(batch, debtor)))
    xml: bytes = etree.tostring(document, xml_declaration=True, encoding="UTF-8")
    check_pain001(xml)
    return xml


def check_pain001(xml: bytes) -> None:
    """Raise InvalidPaymentDocument unless ``xml`` is a pain.001.001.09 we may send."""
    try:
        document = etree.fromstring(xml, parser())
    except etree.XMLSyntaxError as error:
        raise InvalidPaymentDocument(f"not XML: {error}") from None
    errors = schema_errors(pain001_schema(), document) or rule_errors(document)
    if errors:
        raise InvalidPaymentDocument("; ".join(errors[:5]))


def _group_header(batch: PaymentBatch, debtor: Debtor) -> Any:
    return E.GrpHdr(
        E.MsgId(batch.msg_id),
        E.CreDtTm(batch.created_at.isoformat(timespec="seconds")),
        E.NbOfTxs(str(len(batch.transfers))),
        E.CtrlSum(_amount_text(_total(batch.transfers))),
        E.InitgPty(E.Nm(debtor.name)),
    )


def _payment(batch: PaymentBatch, debtor: Debtor) -> Any:
    return E.PmtInf(
        E.PmtInfId(batch.msg_id),
        E.PmtMtd("TRF"),
        E.NbOfTxs(str(len(batch.transfers))),
        E.CtrlSum(_amount_text(_total(batch.transfers))),
        E.ReqdExctnDt(E.Dt(batch.execution_date.isoformat())),
        E.Dbtr(E.Nm(debtor.name)),
        E.DbtrAcct(E.Id(E.IBAN(debtor.iban))),
        E.DbtrAgt(E.FinInstnId(E.BICFI(debtor.bic))),
        *(_transfer(t) for t in batch.transfers),
    )


def _transfer(transfer: CreditTransfer) -> Any:
    return E.CdtTrfTxInf(
        E.PmtId(E.EndToEndId(transfer.end_to_end_id)),
        E.Amt(E.InstdAmt(_amount_text(transfer.amount), Ccy=CURRENCY)),
        E.Cdtr(E.Nm(transfer.creditor_name)),
        E.CdtrAcct(E.Id(E.IBAN(transfer.creditor_iban))),
        E.RmtInf(E.Ustrd(transfer.remittance)),
    )


def _total(transfers: Sequence[CreditTransfer]) -> Decimal:
    return sum((t.amount for t in transfers), Decimal(0))


def _amount_text(amount: Decimal) -> str:
    """Exactly two decimals; an amount that would need rounding here is a bug upstream."""
    if amount != amount.quantize(QEPIK):
        raise InvalidPaymentDocument(f"{amount} AZN is not rounded to the qəpik")
    return f"{amount.quantize(QEPIK)}"
