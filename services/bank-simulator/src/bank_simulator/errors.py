"""What the simulated bank refuses, by class; the HTTP edge maps each to a status code.

::

    BenefitsError                   (benefits_shared.errors)
    └── PermanentError              the same request never succeeds
        └── BankRefusal
            ├── BadRequest          400: not a document or account request the bank reads
            ├── UnknownMessage      404: a status asked for a MsgId never accepted
            ├── UnknownAccount      404: an admin mark for an account or person not known
            └── ConflictingReuse    422: a MsgId or idempotency key reused with other content

Faults (5xx, 429, outage, time-out) are not errors of the bank's rules: they are injected
at the HTTP edge by :mod:`bank_simulator.faults`.
"""

from __future__ import annotations

from benefits_shared.errors import PermanentError


class BankRefusal(PermanentError):
    """The bank answers this request with a 4xx, whatever the number of retries."""

    status_code = 400
    code = "bad_request"


class BadRequest(BankRefusal):
    status_code = 400
    code = "bad_request"


class UnknownMessage(BankRefusal):
    status_code = 404
    code = "unknown_message"


class UnknownAccount(BankRefusal):
    status_code = 404
    code = "unknown_account"


class ConflictingReuse(BankRefusal):
    status_code = 422
    code = "conflicting_reuse"
