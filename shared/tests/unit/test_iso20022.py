from __future__ import annotations

from decimal import Decimal

import pytest
from benefits_shared.iso20022 import SchemaViolation, read_document, write_document
from pyiso20022.pain.pain_002_001_10 import (
    CustomerPaymentStatusReportV10,
    Document,
    GroupHeader86,
    OriginalGroupHeader17,
)
from xsdata.models.datatype import XmlDateTime

NS = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"


def document(msg_id: str = "MSG1", ctrl_sum: Decimal = Decimal("1.50")) -> Document:
    header = GroupHeader86(msg_id="R1", cre_dt_tm=XmlDateTime.from_string("2026-04-02T10:00:00"))
    group = OriginalGroupHeader17(
        orgnl_msg_id=msg_id, orgnl_msg_nm_id="pain.001.001.09", orgnl_ctrl_sum=ctrl_sum
    )
    return Document(
        cstmr_pmt_sts_rpt=CustomerPaymentStatusReportV10(
            grp_hdr=header, orgnl_grp_inf_and_sts=group
        )
    )


def test_a_valid_document_is_written_and_read_back_the_same() -> None:
    xml = write_document(document(), NS)
    assert xml.startswith(b"<?xml")
    assert read_document(xml, Document) == document()


@pytest.mark.parametrize(
    ("invalid", "where"),
    [
        (document(msg_id="M" * 36), "OrgnlGrpInfAndSts/OrgnlMsgId"),
        (document(msg_id=""), "OrgnlGrpInfAndSts/OrgnlMsgId"),
        (document(ctrl_sum=Decimal("1.123456789012345678")), "OrgnlCtrlSum"),
    ],
)
def test_a_document_breaking_a_facet_is_never_written(invalid: Document, where: str) -> None:
    with pytest.raises(SchemaViolation, match=where):
        write_document(invalid, NS)


def test_an_entity_is_not_expanded() -> None:
    xml = b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document xmlns="' + NS.encode()
    with pytest.raises(SchemaViolation):
        read_document(xml + b'">&x;</Document>', Document)
