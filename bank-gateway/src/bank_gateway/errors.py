"""What to do next, by the error's class.

::

    BenefitsError                       (benefits_shared.errors)
    ├── PermanentError                  never succeeds as it is: dead-letter / ops queue
    │   └── BankGatewayError
    │       ├── NoRateInForce           an entitlement month before every rate period
    │       ├── InvalidPaymentDocument  a pain.001 we built fails the XSD or our own checks
    │       ├── InvalidStatusReport     a pain.002 we cannot read
    │       └── IllegalTransition       an account or payment event its state does not allow
    └── TransientError                  retry later with the same idempotency key

Everything here is a bug upstream or a broken partner message: retrying the same input
gives the same error, so none of them is transient.
"""

from __future__ import annotations

from benefits_shared.errors import PermanentError


class BankGatewayError(PermanentError):
    """The root of the bank gateway's own errors."""


class NoRateInForce(BankGatewayError):
    """No monthly rate is in force for the month being paid."""


class InvalidPaymentDocument(BankGatewayError):
    """A pain.001 document breaks the ISO 20022 schema or a rule the schema cannot express."""


class InvalidStatusReport(BankGatewayError):
    """A pain.002 status report is not XML, or not a customer payment status report."""


class IllegalTransition(BankGatewayError):
    """An event that the current state of an account or payment does not allow."""
