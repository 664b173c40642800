"""Read a ``pain.002.001.10`` status report into a status per ``EndToEndId``.

Only ``ACSC`` and ``ACCC`` mean the money moved (settled); ``RJCT`` is a final refusal
with a reason code (``AC04`` closed account, ``MD07`` deceased, ``AM05`` duplicate, …);
every other code (``PDNG``, ``ACTC``, ``ACSP``, ``RCVD``, …) means not final yet.

Read tolerantly: any ``pain.002`` version's namespace is accepted, unknown elements are
ignored. A transaction the report does not list takes the group status when that is final
(a whole message refused), and is pending otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from lxml import etree

from bank_gateway.errors import InvalidStatusReport
from bank_gateway.iso20022 import parser

Outcome = Literal["settled", "rejected", "pending"]
SETTLED_CODES = frozenset({"ACSC", "ACCC"})
REJECTED_CODE = "RJCT"


@dataclass(frozen=True, slots=True)
class TransactionStatus:
    end_to_end_id: str
    outcome: Outcome
    code: str
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class StatusReport:
    original_msg_id: str
    group_code: str | None
    group_reason: str | None
    transactions: dict[str, TransactionStatus]

    def status_of(self, end_to_end_id: str) -> TransactionStatus:
        """The status of one transaction of the original message."""
        if end_to_end_id in self.transactions:
            return self.transactions[end_to_end_id]
        code = self.group_code or "PDNG"
        return TransactionStatus(end_to_end_id, outcome_of(code), code, self.group_reason)


def outcome_of(code: str) -> Outcome:
    if code in SETTLED_CODES:
        return "settled"
    return "rejected" if code == REJECTED_CODE else "pending"


def parse_pain002(xml: bytes) -> StatusReport:
    """The report's statuses; InvalidStatusReport if it is not a customer payment status report."""
    try:
        root = etree.fromstring(xml, parser())
    except etree.XMLSyntaxError as error:
        raise InvalidStatusReport(f"not XML: {error}") from None
    report = _child(root, "CstmrPmtStsRpt")
    group = _child(report, "OrgnlGrpInfAndSts") if report is not None else None
    msg_id = _text(group, "OrgnlMsgId")
    if _local(root) != "Document" or group is None or not msg_id:
        raise InvalidStatusReport("not a pain.002 customer payment status report")
    transactions = (_transaction(t) for t in report.iter(_any_ns("TxInfAndSts")))
    statuses = {t.end_to_end_id: t for t in transactions if t is not None}
    return StatusReport(msg_id, _text(group, "GrpSts"), _reason(group), statuses)


def _transaction(element: Any) -> TransactionStatus | None:
    end_to_end_id, code = _text(element, "OrgnlEndToEndId"), _text(element, "TxSts")
    if not end_to_end_id or not code:
        return None
    return TransactionStatus(end_to_end_id, outcome_of(code), code, _reason(element))


def _reason(element: Any) -> str | None:
    info = _child(element, "StsRsnInf")
    rsn = _child(info, "Rsn") if info is not None else None
    return (_text(rsn, "Cd") or _text(rsn, "Prtry")) if rsn is not None else None


def _child(element: Any, name: str) -> Any:
    return next((c for c in element if isinstance(c.tag, str) and _local(c) == name), None)


def _text(element: Any, name: str) -> str | None:
    child = _child(element, name) if element is not None else None
    text = child.text.strip() if child is not None and child.text else None
    return text or None


def _local(element: Any) -> str:
    return str(etree.QName(element).localname)


def _any_ns(name: str) -> str:
    return f"{{*}}{name}"
