"""Read an incoming ``pain.001.001.09``: the XSD first, then what the XSD cannot check.

The bank refuses (400) a document that fails the official XSD, an amount that is not
AZN with exactly two decimals, a ``NbOfTxs`` or ``CtrlSum`` that does not match its
transactions, and a creditor account given other than by IBAN. What the document asks is
summed up in ``digest`` (everything but ``CreDtTm``): a known ``MsgId`` with another digest
is another content.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lxml import etree

from bank_simulator.errors import BadRequest
from bank_simulator.events import Transfer
from bank_simulator.iso20022 import PAIN001, pain001_schema, safe_parser

NS = {"p": PAIN001}
TWO_DECIMALS = re.compile(r"[0-9]+\.[0-9]{2}")


@dataclass(frozen=True, slots=True)
class PaymentDocument:
    msg_id: str
    transfers: tuple[Transfer, ...]
    digest: str


def read_pain001(xml: bytes) -> PaymentDocument:
    """The document's transfers; BadRequest saying why the bank cannot take it."""
    try:
        root = etree.fromstring(xml, safe_parser())
    except etree.XMLSyntaxError as error:
        raise BadRequest(f"not XML: {error}") from None
    schema = pain001_schema()
    if not schema.validate(root):
        raise BadRequest("; ".join(f"line {e.line}: {e.message}" for e in schema.error_log))
    blocks = root.findall("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    problems = [p for b in blocks for p in _block_problems(b)] + _header_problems(root)
    if problems:
        raise BadRequest("; ".join(problems))
    transfers = tuple(_transfer(b, t) for b in blocks for t in b.iterfind("p:CdtTrfTxInf", NS))
    msg_id = root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:MsgId", namespaces=NS)
    return PaymentDocument(msg_id, transfers, _digest(blocks, transfers))


def _transfer(block: Any, tx: Any) -> Transfer:
    return Transfer(
        pmt_inf_id=block.findtext("p:PmtInfId", namespaces=NS),
        end_to_end_id=tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS),
        iban=tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS),
        amount=Decimal(tx.findtext("p:Amt/p:InstdAmt", namespaces=NS)),
    )


def _block_problems(block: Any) -> list[str]:
    problems = _counts(block, block.findall("p:CdtTrfTxInf/p:Amt/p:InstdAmt", NS))
    for tx in block.iterfind("p:CdtTrfTxInf", NS):
        e2e = tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS)
        amount = tx.find("p:Amt/p:InstdAmt", NS)
        if amount is None or amount.get("Ccy") != "AZN":
            problems.append(f"{e2e}: the bank pays AZN only")
        elif not TWO_DECIMALS.fullmatch(amount.text) or Decimal(amount.text) <= 0:
            problems.append(f"{e2e}: {amount.text} is not a positive AZN amount with 2 decimals")
        if tx.find("p:CdtrAcct/p:Id/p:IBAN", NS) is None:
            problems.append(f"{e2e}: the creditor account must be an IBAN")
    return problems


def _header_problems(root: Any) -> list[str]:
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    return _counts(header, root.findall(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", NS))


def _counts(header: Any, amounts: list[Any]) -> list[str]:
    problems = []
    count, total = (
        header.findtext("p:NbOfTxs", namespaces=NS),
        header.findtext("p:CtrlSum", namespaces=NS),
    )
    if count is not None and int(count) != len(amounts):
        problems.append(f"NbOfTxs {count} but {len(amounts)} transactions")
    actual = sum((Decimal(a.text) for a in amounts), Decimal(0))
    if total is not None and Decimal(total) != actual:
        problems.append(f"CtrlSum {total} but the amounts add up to {actual}")
    return problems


def _digest(blocks: list[Any], transfers: tuple[Transfer, ...]) -> str:
    heads = [
        [
            b.findtext(p, namespaces=NS)
            for p in ("p:PmtInfId", "p:ReqdExctnDt/*", "p:DbtrAcct/p:Id/*")
        ]
        for b in blocks
    ]
    body = [heads, [[t.pmt_inf_id, t.end_to_end_id, t.iban, str(t.amount)] for t in transfers]]
    return hashlib.sha256(json.dumps(body).encode()).hexdigest()
