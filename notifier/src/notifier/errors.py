"""What the notifier does next, by the error's class.

::

    BenefitsError (benefits_shared)
    ├── PermanentError                 never succeeds as it is
    │   ├── NoticeNotRenderable        no SMS text can be made: the notice is skipped, ops see why
    │   │   ├── MissingNoticeField     the decision lacks what the notice must say
    │   │   └── UnsafeNoticeText       the text would carry a PIN or a full account number
    │   ├── GatewayRefused             4xx: the gateway will never take this body: notice failed
    │   ├── IllegalNoticeTransition    e.g. a second, different delivery report: ignored, logged
    │   └── ReportRefused              a delivery report we do not take: the sender is told
    │       ├── UnsignedReport         no valid ``X-Report-Signature``: 401 (ADR 0017)
    │       └── MalformedReport        not the report of partners.md: 422 with the reason
    └── TransientError                 retry later with the same idempotency key
        └── GatewayTryLater            nothing to change in the request; ask again later
            ├── GatewayUnavailable     5xx, connection refused: not accepted
            ├── GatewayRateLimited     429 with ``Retry-After``: not accepted
            └── OutcomeUnknown         time-out or a broken answer: maybe accepted
"""

from __future__ import annotations

from benefits_shared.errors import PermanentError, TransientError


class NoticeNotRenderable(PermanentError):
    """Rendering this notice fails whatever the retry."""


class MissingNoticeField(NoticeNotRenderable):
    """E.g. a B2 decision without a monthly rate, or an "ended" notice without an end day."""


class UnsafeNoticeText(NoticeNotRenderable):
    """The guard found a PIN-shaped token, an IBAN or a long digit run in the text."""


class GatewayRefused(PermanentError):
    """The gateway refused the message (400, 422): sending it again cannot help."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(f"refused by the gateway: {status} {code}")
        self.status = status
        self.code = code


class IllegalNoticeTransition(PermanentError):
    """The notice's state does not allow this event."""


class GatewayTryLater(TransientError):
    """The same request with the same key may pass later."""


class GatewayUnavailable(GatewayTryLater):
    """A 5xx or no connection: the gateway did not take the message."""


class GatewayRateLimited(GatewayTryLater):
    """Over the gateway's rate limit; ``retry_after`` seconds is what it asked for."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited; retry after {retry_after:g} s")
        self.retry_after = retry_after


class OutcomeUnknown(GatewayTryLater):
    """The answer never came (time-out, broken connection): the message may have been taken."""


class ReportRefused(PermanentError):
    """A POSTed delivery report that changes nothing; ``reason`` never quotes the body."""


class UnsignedReport(ReportRefused):
    """Its signature is missing or wrong: not from the gateway."""


class MalformedReport(ReportRefused):
    """Signed, but not a report (not JSON, a field missing or out of range)."""
