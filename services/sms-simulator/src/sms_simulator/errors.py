"""Why the simulated gateway refuses a message, and what the client should do next.

::

    GatewayRefusal
    ├── PermanentRefusal (benefits_shared PermanentError)   change the request; never retry it
    │   ├── InvalidMessage            body is not the spec's message          → 400
    │   ├── MissingIdempotencyKey     no Idempotency-Key header                → 400
    │   └── IdempotencyKeyReused      same key, different body                 → 422
    └── TryLater (benefits_shared TransientError)           retry with the same key
        ├── RateLimited               over the rate limit; ``retry_after`` s   → 429
        ├── ServerFault               a 5xx now and then                       → 500 / 503
        └── GatewayDown               an outage                                → 503

The HTTP status of each is chosen at the HTTP edge (``entrypoints/gateway_api.py``).
"""

from __future__ import annotations

from benefits_shared.errors import PermanentError, TransientError


class GatewayRefusal(Exception):
    """The root of every refusal; ``code`` is the machine-readable reason in the answer."""

    code = "refused"


class PermanentRefusal(GatewayRefusal, PermanentError):
    """The same request will be refused again."""


class InvalidMessage(PermanentRefusal):
    code = "invalid_message"


class MissingIdempotencyKey(PermanentRefusal):
    code = "idempotency_key_missing"


class IdempotencyKeyReused(PermanentRefusal):
    code = "idempotency_key_reused"


class TryLater(GatewayRefusal, TransientError):
    """Nothing was accepted; the same request with the same key may pass later."""


class RateLimited(TryLater):
    code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"over the rate limit; retry after {retry_after} s")
        self.retry_after = retry_after


class ServerFault(TryLater):
    code = "server_error"

    def __init__(self, status: int) -> None:
        super().__init__(f"simulated server error {status}")
        self.status = status


class GatewayDown(TryLater):
    code = "unavailable"
