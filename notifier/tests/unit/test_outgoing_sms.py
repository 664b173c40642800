"""The gateway's body for a notice: the recipient's phone, the text in their language, the
sender and callback; encoding and segments computed before sending."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from benefits_shared.contracts.payments import AccountOpened
from notifier.notice_kinds import NoticeKind
from notifier.outgoing_sms import Sending, SmsRequest, prepare
from notifier.reachability import Contact

SENDING = Sending("142", "http://127.0.0.1:18090/v1/delivery-reports")
ACCOUNT = AccountOpened(
    recipient_pin="5ZK2M9X", account_id="a", account_last4="4821", bank_name="Partner Bank"
)


def test_an_english_grant_without_an_account_is_one_gsm7_segment(make_decision: Any) -> None:
    grant = make_decision(amount=Decimal("250.00"))
    sms = prepare(grant, NoticeKind.B1_ASSIGNED, Contact("+994501234567", "en"), None, SENDING)
    assert (sms.encoding, sms.segments, sms.with_account) == ("GSM7", 1, False)
    assert sms.request.body() == {
        "to": "+994501234567",
        "text": "You have been awarded a birth grant of 250.00 AZN. Ref. B1-3F9A0C12. "
        "Call centre: 142.",
        "sender": "142",
        "callback_url": SENDING.callback_url,
    }


def test_an_azerbaijani_grant_naming_the_account_is_ucs2(make_decision: Any) -> None:
    grant = make_decision(amount=Decimal("250.00"))
    sms = prepare(grant, NoticeKind.B1_ASSIGNED, Contact("+994501234567", "az"), ACCOUNT, SENDING)
    assert (sms.encoding, sms.segments, sms.with_account) == ("UCS2", 3, True)
    assert "Partner Bank, ****4821" in sms.request.text


def test_the_stored_body_reads_back_the_same() -> None:
    request = SmsRequest("+994501234567", "Salam", "142", SENDING.callback_url)
    assert SmsRequest.from_body(request.body()) == request
