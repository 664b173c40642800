"""What to do next, by the error's class.

::

    BenefitsError                       (benefits_shared.errors)
    ├── PermanentError                  never succeeds as it is: dead-letter / ops queue
    │   └── BankGatewayError
    │       ├── NoRateInForce           an entitlement month before every rate period
    │       ├── InvalidPaymentDocument  a pain.001 we built fails the XSD or our own checks
    │       ├── InvalidStatusReport     a pain.002 that is invalid, on another message, or
    │       │                           with a missing or unknown status: nothing changes
    │       ├── IllegalTransition       an account or payment event its state does not allow
    │       ├── BankRefused             the bank answered 4xx: it will never do it as asked
    │       └── MonthNotClosed          a payroll run asked for a month that has not ended
    └── TransientError                  retry later with the same idempotency key
        └── BankUnavailable             5xx, 429, time-out, connection lost: the outcome may
            │                           be unknown, so ask again with the same key and body
            ├── CircuitOpen             too many failures in a row: not even tried
            └── MessageNotKnown         a status read for a MsgId the bank does not know:
                                        send the same document again

The permanent ones are a bug upstream or a broken partner message: retrying the same input
gives the same error. The transient ones never change what is asked, only when.
"""

from __future__ import annotations

from benefits_shared.errors import PermanentError, TransientError


class BankGatewayError(PermanentError):
    """The root of the bank gateway's own permanent errors."""


class NoRateInForce(BankGatewayError):
    """No monthly rate is in force for the month being paid."""


class InvalidPaymentDocument(BankGatewayError):
    """A pain.001 document breaks the ISO 20022 schema or a rule the schema cannot express."""


class InvalidStatusReport(BankGatewayError):
    """A pain.002 status report breaks its schema, reports on another message, or has a
    transaction status that is missing or not a known code: no payment changes state on it."""


class IllegalTransition(BankGatewayError):
    """An event that the current state of an account or payment does not allow."""


class BankRefused(BankGatewayError):
    """The bank refused the request (4xx other than 429); ``code`` is its error code."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(f"the bank refused the request: {status} {code}")
        self.status = status
        self.code = code


class MonthNotClosed(BankGatewayError):
    """Payroll is paid in arrears: a month is run once it has ended."""


class BankUnavailable(TransientError):
    """The bank did not answer, or answered 5xx/429; ``retry_after`` in seconds if it said."""

    def __init__(self, why: str, retry_after: float | None = None) -> None:
        super().__init__(why)
        self.retry_after = retry_after


class CircuitOpen(BankUnavailable):
    """The circuit breaker is open: the call was not made."""


class MessageNotKnown(BankUnavailable):
    """``GET /v1/payments/{MsgId}/status`` answered 404."""
