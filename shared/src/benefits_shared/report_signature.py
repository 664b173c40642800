"""The signature of a delivery report: only the SMS gateway can mark an SMS delivered.

The gateway (its simulator here) POSTs each report to the notifier's ``callback_url`` with
the header ``X-Report-Signature: sha256=<hex>``, the HMAC-SHA256 of the exact body bytes
keyed by ``SMS_REPORT_SECRET``, a secret both sides are given. The notifier checks it in
constant time before it reads the body. A replayed report is harmless (reports are
idempotent), so no timestamp is signed.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Report-Signature"
SCHEME = "sha256="
#: The public development default (refused with APP_ENV=production).
DEV_SMS_REPORT_SECRET = "dev-only-sms-report-secret"  # noqa: S105


def sign(secret: str, body: bytes) -> str:
    """The header value for ``body``."""
    return SCHEME + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def is_signed_by(secret: str, body: bytes, header: str | None) -> bool:
    """Whether ``header`` is the signature of ``body`` with ``secret``."""
    if header is None:
        return False
    return hmac.compare_digest(
        sign(secret, body).encode(), header.strip().encode("utf-8", "replace")
    )
