"""Read a ``pain.002.001.10`` status report into a status per ``EndToEndId``.

Only ``ACSC`` and ``ACCC`` mean the money moved (settled); ``RJCT`` is a final refusal
with a reason code (``AC04`` closed account, ``MD07`` deceased, ``AM05`` duplicate, …);
the other codes of ISO 20022's external transaction status code set (``PDNG``, ``ACTC``,
``ACSP``, ``RCVD``, …) mean not final yet.

Read strictly, since a report decides whether money moved: the XML is bound to
``pyiso20022``'s typed ``pain.002.001.10`` classes and checked against the schema's facets
(:mod:`benefits_shared.iso20022`), then against what we asked: it must report on the
message we sent, every transaction status must be present and a known code. Anything else
is an InvalidStatusReport, and no payment changes state on it. A transaction the report
does not list takes the group status when that is final (a whole message refused), and is
pending otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from benefits_shared.iso20022 import SchemaViolation, read_document
from pyiso20022.pain.pain_002_001_10 import Document

from bank_gateway.errors import InvalidStatusReport

Outcome = Literal["settled", "rejected", "pending"]
SETTLED_CODES = frozenset({"ACSC", "ACCC"})
REJECTED_CODE = "RJCT"
# ISO 20022 ExternalPaymentTransactionStatus1Code, and PART, which a group may report
KNOWN_CODES = SETTLED_CODES | {
    "ACCP", "ACFC", "ACIS", "ACPD", "ACSP", "ACTC", "ACWC", "ACWP", "BLCK", "CANC",
    "PART", "PATC", "PDNG", "PRES", "RCVD", "RJCT",
}  # fmt: skip


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


def parse_pain002(xml: bytes, msg_id: str | None = None) -> StatusReport:
    """The statuses of a report on message ``msg_id`` (any message when None).

    InvalidStatusReport if it is not a valid ``pain.002.001.10``, reports on another
    message, or holds a transaction without a status or with an unknown status code.
    """
    try:
        report = read_document(xml, Document).cstmr_pmt_sts_rpt
    except SchemaViolation as violation:
        raise InvalidStatusReport(
            f"not a valid pain.002.001.10 status report: {violation}"
        ) from None
    group = report.orgnl_grp_inf_and_sts
    if msg_id is not None and group.orgnl_msg_id != msg_id:
        raise InvalidStatusReport(f"a report on {group.orgnl_msg_id!r}, not on {msg_id!r}")
    items = [t for block in report.orgnl_pmt_inf_and_sts for t in block.tx_inf_and_sts]
    statuses = {t.end_to_end_id: t for t in map(_transaction, items)}
    if group.grp_sts is None and not statuses:
        raise InvalidStatusReport("missing status: neither a group nor a transaction status")
    group_code = _known(group.grp_sts, "the group") if group.grp_sts else None
    return StatusReport(group.orgnl_msg_id, group_code, _reason(group), statuses)


def _transaction(item: Any) -> TransactionStatus:
    end_to_end_id = item.orgnl_end_to_end_id
    if not end_to_end_id:
        raise InvalidStatusReport("missing OrgnlEndToEndId in a transaction status")
    if not item.tx_sts:
        raise InvalidStatusReport(f"missing status (TxSts) of transaction {end_to_end_id!r}")
    code = _known(item.tx_sts, f"transaction {end_to_end_id!r}")
    return TransactionStatus(end_to_end_id, outcome_of(code), code, _reason(item))


def _known(code: str, whose: str) -> str:
    if code not in KNOWN_CODES:
        raise InvalidStatusReport(f"unknown status code {code!r} of {whose}")
    return code


def _reason(element: Any) -> str | None:
    reasons = [i.rsn for i in element.sts_rsn_inf if i.rsn is not None]
    return (reasons[0].cd or reasons[0].prtry) if reasons else None
