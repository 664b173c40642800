"""The message handed to the gateway for a notice, made once, before the first attempt.

The body (phone, text, sender, callback URL) is stored with the notice and sent unchanged
on every retry: the gateway refuses (``422``) a repeated ``Idempotency-Key`` whose body
differs. Encoding and segments are computed here (GSM 03.38 or UCS-2), before sending.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from benefits_shared.contracts.decisions import BenefitDecided
from benefits_shared.contracts.payments import AccountOpened
from benefits_shared.sms_encoding import Encoding, encode_info

from notifier.notice_fields import fields_of
from notifier.notice_kinds import NoticeKind
from notifier.reachability import Contact
from notifier.rendering import render


@dataclass(frozen=True, slots=True)
class SmsRequest:
    """The body of ``POST /v1/messages`` (partners.md)."""

    to: str
    text: str
    sender: str
    callback_url: str

    def body(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "text": self.text,
            "sender": self.sender,
            "callback_url": self.callback_url,
        }

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> SmsRequest:
        return cls(body["to"], body["text"], body["sender"], body["callback_url"])


@dataclass(frozen=True, slots=True)
class PreparedSms:
    request: SmsRequest
    encoding: Encoding
    segments: int
    with_account: bool


@dataclass(frozen=True, slots=True)
class Sending:
    """Who sends: the sender name the recipient sees and where reports come back."""

    sender: str
    callback_url: str


def prepare(
    decision: BenefitDecided,
    kind: NoticeKind,
    contact: Contact,
    account: AccountOpened | None,
    sending: Sending,
) -> PreparedSms:
    """The SMS of a notice; NoticeNotRenderable when none can be made."""
    fields = fields_of(decision, account)
    text = render(kind, contact.language, fields)
    info = encode_info(text)
    request = SmsRequest(contact.phone, text, sending.sender, sending.callback_url)
    return PreparedSms(request, info.encoding, info.segments, fields.account_known)
