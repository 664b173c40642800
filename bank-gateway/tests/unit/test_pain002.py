from __future__ import annotations

import pytest
from bank_gateway.errors import InvalidStatusReport
from bank_gateway.pain002 import TransactionStatus, parse_pain002

NS = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"


def report(group: str, transactions: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{NS}">
  <CstmrPmtStsRpt>
    <GrpHdr><MsgId>STS1</MsgId><CreDtTm>2026-04-02T10:00:00+04:00</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>MSG1</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>{group}
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts><OrgnlPmtInfId>MSG1</OrgnlPmtInfId>{transactions}</OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>""".encode()


def tx(e2e: str, status: str, reason: str | None = None) -> str:
    why = f"<StsRsnInf><Rsn><Cd>{reason}</Cd></Rsn></StsRsnInf>" if reason else ""
    ids = f"<OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>{status}</TxSts>"
    return f"<TxInfAndSts>{ids}{why}</TxInfAndSts>"


def test_each_transaction_gets_its_own_status() -> None:
    parsed = parse_pain002(
        report(
            "<GrpSts>PART</GrpSts>",
            tx("E1", "ACSC") + tx("E2", "RJCT", "AC04") + tx("E3", "PDNG") + tx("E4", "ACCC"),
        )
    )
    assert parsed.original_msg_id == "MSG1"
    assert parsed.transactions == {
        "E1": TransactionStatus("E1", "settled", "ACSC"),
        "E2": TransactionStatus("E2", "rejected", "RJCT", "AC04"),
        "E3": TransactionStatus("E3", "pending", "PDNG"),
        "E4": TransactionStatus("E4", "settled", "ACCC"),
    }


@pytest.mark.parametrize("code", ["ACTC", "ACSP", "RCVD", "ACWC"])
def test_codes_that_are_not_final_mean_pending(code: str) -> None:
    assert parse_pain002(report("", tx("E1", code))).status_of("E1").outcome == "pending"


def test_a_whole_message_refused_rejects_every_transaction_of_it() -> None:
    refused = "<GrpSts>RJCT</GrpSts><StsRsnInf><Rsn><Cd>AM10</Cd></Rsn></StsRsnInf>"
    parsed = parse_pain002(report(refused))
    assert parsed.status_of("E9") == TransactionStatus("E9", "rejected", "RJCT", "AM10")


def test_a_transaction_not_listed_under_an_open_group_is_pending() -> None:
    parsed = parse_pain002(report("<GrpSts>PDNG</GrpSts>", tx("E1", "ACSC")))
    assert parsed.status_of("E2").outcome == "pending"


def test_a_proprietary_reason_is_kept() -> None:
    why = "<StsRsnInf><Rsn><Prtry>CLOSED</Prtry></Rsn></StsRsnInf>"
    ids = "<OrgnlEndToEndId>E1</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
    item = f"<TxInfAndSts>{ids}{why}</TxInfAndSts>"
    assert parse_pain002(report("", item)).status_of("E1").reason == "CLOSED"


def test_another_pain002_version_is_refused() -> None:
    older = report("", tx("E1", "ACSC")).replace(b"pain.002.001.10", b"pain.002.001.03")
    with pytest.raises(InvalidStatusReport, match=r"not a valid pain\.002\.001\.10"):
        parse_pain002(older)


def test_the_report_on_the_message_asked_about_is_read() -> None:
    assert parse_pain002(report("", tx("E1", "ACSC")), "MSG1").original_msg_id == "MSG1"


def test_text_that_is_not_xml_is_an_invalid_report() -> None:
    with pytest.raises(InvalidStatusReport, match="not XML"):
        parse_pain002(b"oops")


def test_another_kind_of_document_is_an_invalid_report() -> None:
    with pytest.raises(InvalidStatusReport, match=r"not a valid pain\.002\.001\.10"):
        parse_pain002(b'<Document xmlns="x"><CstmrCdtTrfInitn/></Document>')


@pytest.mark.parametrize(
    ("xml", "error"),
    [
        (report("<GrpSts>PART</GrpSts><Surprise/>"), r"not a valid .*Surprise"),
        (report("<GrpSts>ACSC</GrpSts>", tx("E" * 36, "ACSC")), r"OrgnlEndToEndId: .*length"),
        (report("<OrgnlNbOfTxs>two</OrgnlNbOfTxs>"), r"OrgnlNbOfTxs: 'two' does not match"),
        (report("<OrgnlCtrlSum>ten</OrgnlCtrlSum>"), r"not a valid .*Decimal"),
        (report("").replace(b"<OrgnlMsgId>MSG1</OrgnlMsgId>", b""), r"orgnl_msg_id"),
    ],
    ids=["unknown element", "too long", "pattern", "not a number", "missing message id"],
)
def test_a_schema_invalid_report_is_refused_with_what_is_wrong(xml: bytes, error: str) -> None:
    with pytest.raises(InvalidStatusReport, match=error):
        parse_pain002(xml)


def test_a_transaction_without_a_status_is_refused() -> None:
    item = "<TxInfAndSts><OrgnlEndToEndId>E1</OrgnlEndToEndId></TxInfAndSts>"
    with pytest.raises(InvalidStatusReport, match=r"missing status \(TxSts\) of transaction 'E1'"):
        parse_pain002(report("<GrpSts>ACSC</GrpSts>", item))


def test_a_report_with_no_status_at_all_is_refused() -> None:
    with pytest.raises(InvalidStatusReport, match="missing status"):
        parse_pain002(report(""))


@pytest.mark.parametrize(("group", "code"), [("", "PAID"), ("<GrpSts>DONE</GrpSts>", "ACSC")])
def test_an_unknown_status_code_is_refused(group: str, code: str) -> None:
    with pytest.raises(InvalidStatusReport, match=r"unknown status code '(PAID|DONE)'"):
        parse_pain002(report(group, tx("E1", code)))


def test_a_report_on_another_message_is_refused() -> None:
    with pytest.raises(InvalidStatusReport, match=r"a report on 'MSG1', not on 'MSG2'"):
        parse_pain002(report("", tx("E1", "ACSC")), "MSG2")
