"""A delivery report's bytes into a :class:`DeliveryReport`, or the reason it is refused.

The body is read only when its signature (``X-Report-Signature``, HMAC-SHA256 of the body
with ``SMS_REPORT_SECRET``, ADR 0017) is the gateway's: :class:`UnsignedReport` otherwise.
Then it must be the report of partners.md, at most :data:`MAX_REPORT_BYTES`:
:class:`MalformedReport` with the field at fault otherwise. The message id is printable
ASCII (it is a key in our tables); an error text the database cannot store (NUL, an
unpaired surrogate) has those characters replaced, since it is only informative.
"""

from __future__ import annotations

from typing import Literal

from benefits_shared.db.unstorable import UNSTORABLE
from benefits_shared.report_signature import is_signed_by
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

from notifier.errors import MalformedReport, UnsignedReport

MAX_REPORT_BYTES = 16 * 1024


class DeliveryReport(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    message_id: str = Field(min_length=1, max_length=128, pattern=r"^\s*[!-~]+\s*$")
    status: Literal["DELIVERED", "FAILED", "EXPIRED"]
    error: str | None = Field(default=None, max_length=1000)
    at: AwareDatetime

    @field_validator("error")
    @classmethod
    def _storable(cls, error: str | None) -> str | None:
        return UNSTORABLE.sub("\ufffd", error) if error is not None else None


def read_report(body: bytes, signature: str | None, secret: str) -> DeliveryReport:
    """The report in ``body`` if the gateway signed it; a :class:`ReportRefused` otherwise."""
    if not is_signed_by(secret, body, signature):
        raise UnsignedReport("the report is not signed with the gateway's secret")
    if len(body) > MAX_REPORT_BYTES:
        raise MalformedReport(f"a report is at most {MAX_REPORT_BYTES} bytes")
    try:
        return DeliveryReport.model_validate_json(body)
    except ValidationError as invalid:
        where = ".".join(str(p) for p in invalid.errors()[0]["loc"]) or "body"
        raise MalformedReport(f"{where}: {invalid.errors()[0]['type']}") from None
