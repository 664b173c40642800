"""What the ops service does next, by the error's class.

::

    BenefitsError (benefits_shared)
    └── PermanentError                  the request can never succeed as it is
        ├── NotAuthorised               no token, an unknown or revoked one: 401
        ├── Forbidden                   the token's role may not do this: 403
        ├── NotFound                    no such dead letter, token, queue item: 404
        └── ActionRefused               e.g. a dead letter already redriven, a fix not JSON: 409/422

Transient failures (database, broker) are not wrapped: the consumer loop retries them and
the HTTP edge answers 503.
"""

from __future__ import annotations

from benefits_shared.errors import PermanentError


class NotAuthorised(PermanentError):
    """The request carries no valid token."""


class Forbidden(PermanentError):
    """The token is valid but its role does not allow this."""


class NotFound(PermanentError):
    """What the request names does not exist."""


class ActionRefused(PermanentError):
    """The action is not allowed in the current state, or its input is unusable."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status
