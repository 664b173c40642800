"""Write the ``pain.002.001.10`` status report of an accepted document.

Per transaction ``ACSC`` (settled), ``RJCT`` with a reason code, or ``PDNG``. The group
status is ``ACSC`` or ``RJCT`` when every transaction is, ``PDNG`` while any is pending,
``PART`` otherwise; ``NbOfTxsPerSts`` counts and sums each status. The report is built
from ``pyiso20022``'s typed ``CustomerPaymentStatusReportV10`` classes and checked against
the schema's facets before it is written (:mod:`benefits_shared.iso20022`), so the bank
never sends a report the schema refuses; element order comes from the binding.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Literal

from benefits_shared.iso20022 import write_document
from lxml import etree
from pyiso20022.pain.pain_002_001_10 import (
    CustomerPaymentStatusReportV10,
    Document,
    GroupHeader86,
    NumberOfTransactionsPerStatus5,
    OriginalGroupHeader17,
    OriginalPaymentInstruction32,
    PaymentTransaction105,
    StatusReason6Choice,
    StatusReasonInformation12,
)
from xsdata.models.datatype import XmlDateTime

from bank_simulator.iso20022 import PAIN002, safe_parser
from bank_simulator.payments import Message, TransferStatus

#: How a faulty bank breaks a report (``broken_status_report``); see :func:`broken`.
StatusReportDefect = Literal["schema_invalid", "missing_status", "unknown_status", "other_message"]


def status_report(message: Message, report_id: str, now: datetime) -> bytes:
    """The report on ``message`` as it stands at ``now``, UTF-8 XML."""
    statuses = message.statuses
    created = XmlDateTime.from_string(now.isoformat(timespec="seconds"))
    report = CustomerPaymentStatusReportV10(
        grp_hdr=GroupHeader86(msg_id=report_id, cre_dt_tm=created),
        orgnl_grp_inf_and_sts=_group(message, statuses),
        orgnl_pmt_inf_and_sts=[_block(pmt_inf_id, statuses) for pmt_inf_id in _blocks(statuses)],
    )
    return write_document(Document(cstmr_pmt_sts_rpt=report), PAIN002)


def group_status(codes: Sequence[str]) -> str:
    if all(c == codes[0] for c in codes):
        return codes[0]
    return "PDNG" if "PDNG" in codes else "PART"


def _group(message: Message, statuses: Sequence[TransferStatus]) -> OriginalGroupHeader17:
    codes = [s.code for s in statuses]
    return OriginalGroupHeader17(
        orgnl_msg_id=message.accepted.msg_id,
        orgnl_msg_nm_id="pain.001.001.09",
        orgnl_nb_of_txs=str(len(statuses)),
        orgnl_ctrl_sum=_total(statuses),
        grp_sts=group_status(codes),
        nb_of_txs_per_sts=[
            _count(code, [s for s in statuses if s.code == code]) for code in dict.fromkeys(codes)
        ],
    )


def _count(code: str, statuses: Sequence[TransferStatus]) -> NumberOfTransactionsPerStatus5:
    return NumberOfTransactionsPerStatus5(
        dtld_nb_of_txs=str(len(statuses)), dtld_sts=code, dtld_ctrl_sum=_total(statuses)
    )


def _block(pmt_inf_id: str, statuses: Sequence[TransferStatus]) -> OriginalPaymentInstruction32:
    mine = [_transaction(s) for s in statuses if s.transfer.pmt_inf_id == pmt_inf_id]
    return OriginalPaymentInstruction32(orgnl_pmt_inf_id=pmt_inf_id, tx_inf_and_sts=mine)


def _transaction(status: TransferStatus) -> PaymentTransaction105:
    reasons = [] if status.reason is None else [_reason(status.reason)]
    return PaymentTransaction105(
        orgnl_end_to_end_id=status.transfer.end_to_end_id, tx_sts=status.code, sts_rsn_inf=reasons
    )


def _reason(code: str) -> StatusReasonInformation12:
    return StatusReasonInformation12(rsn=StatusReason6Choice(cd=code))


def _blocks(statuses: Sequence[TransferStatus]) -> list[str]:
    return list(dict.fromkeys(s.transfer.pmt_inf_id for s in statuses))


def _total(statuses: Sequence[TransferStatus]) -> Decimal:
    return sum((s.transfer.amount for s in statuses), Decimal(0))


def broken(report: bytes, defect: StatusReportDefect) -> bytes:
    """A valid report broken on purpose: an element the schema has no place for, no status
    at all, a status code ISO 20022 does not define, or a report on another message."""
    root = etree.fromstring(report, safe_parser())
    group = root.find(f"{{{PAIN002}}}CstmrPmtStsRpt/{{{PAIN002}}}OrgnlGrpInfAndSts")
    statuses = [*root.iter(f"{{{PAIN002}}}GrpSts"), *root.iter(f"{{{PAIN002}}}TxSts")]
    if defect == "schema_invalid":
        etree.SubElement(group, f"{{{PAIN002}}}Surprise").text = "!"
    for status in statuses:
        if defect == "missing_status":
            status.getparent().remove(status)
        elif defect == "unknown_status":
            status.text = "PAID"
    if defect == "other_message":
        group.find(f"{{{PAIN002}}}OrgnlMsgId").text = "NOT-YOURS"
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return xml
