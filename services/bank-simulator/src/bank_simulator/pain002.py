"""Write the ``pain.002.001.10`` status report of an accepted document.

Per transaction ``ACSC`` (settled), ``RJCT`` with a reason code, or ``PDNG``. The group
status is ``ACSC`` or ``RJCT`` when every transaction is, ``PDNG`` while any is pending,
``PART`` otherwise; ``NbOfTxsPerSts`` counts and sums each status. Elements follow the
order of the ISO 20022 ``CustomerPaymentStatusReportV10`` schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from lxml import etree
from lxml.builder import ElementMaker

from bank_simulator.iso20022 import PAIN002
from bank_simulator.payments import Message, TransferStatus

E = ElementMaker(namespace=PAIN002, nsmap={None: PAIN002})


def status_report(message: Message, report_id: str, now: datetime) -> bytes:
    """The report on ``message`` as it stands at ``now``, UTF-8 XML."""
    statuses = message.statuses
    document = E.Document(
        E.CstmrPmtStsRpt(
            E.GrpHdr(E.MsgId(report_id), E.CreDtTm(now.isoformat(timespec="seconds"))),
            _group(message, statuses),
            *(_block(pmt_inf_id, statuses) for pmt_inf_id in _blocks(statuses)),
        )
    )
    xml: bytes = etree.tostring(document, xml_declaration=True, encoding="UTF-8")
    return xml


def group_status(codes: Sequence[str]) -> str:
    if all(c == codes[0] for c in codes):
        return codes[0]
    return "PDNG" if "PDNG" in codes else "PART"


def _group(message: Message, statuses: Sequence[TransferStatus]) -> Any:
    codes = [s.code for s in statuses]
    return E.OrgnlGrpInfAndSts(
        E.OrgnlMsgId(message.accepted.msg_id),
        E.OrgnlMsgNmId("pain.001.001.09"),
        E.OrgnlNbOfTxs(str(len(statuses))),
        E.OrgnlCtrlSum(str(_total(statuses))),
        E.GrpSts(group_status(codes)),
        *(_count(code, [s for s in statuses if s.code == code]) for code in dict.fromkeys(codes)),
    )


def _count(code: str, statuses: Sequence[TransferStatus]) -> Any:
    return E.NbOfTxsPerSts(
        E.DtldNbOfTxs(str(len(statuses))), E.DtldSts(code), E.DtldCtrlSum(str(_total(statuses)))
    )


def _block(pmt_inf_id: str, statuses: Sequence[TransferStatus]) -> Any:
    mine = [s for s in statuses if s.transfer.pmt_inf_id == pmt_inf_id]
    return E.OrgnlPmtInfAndSts(E.OrgnlPmtInfId(pmt_inf_id), *(_transaction(s) for s in mine))


def _transaction(status: TransferStatus) -> Any:
    reason = () if status.reason is None else (E.StsRsnInf(E.Rsn(E.Cd(status.reason))),)
    return E.TxInfAndSts(
        E.OrgnlEndToEndId(status.transfer.end_to_end_id), E.TxSts(status.code), *reason
    )


def _blocks(statuses: Sequence[TransferStatus]) -> list[str]:
    return list(dict.fromkeys(s.transfer.pmt_inf_id for s in statuses))


def _total(statuses: Sequence[TransferStatus]) -> Decimal:
    return sum((s.transfer.amount for s in statuses), Decimal(0))
