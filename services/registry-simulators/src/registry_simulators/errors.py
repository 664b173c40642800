"""Why a simulated registry does not answer with data, and what the caller should do next.

::

    RegistrySimulatorError
    ├── Refusal (benefits_shared PermanentError)     the same request fails again
    │   ├── DatasetError       the data files are missing or unreadable: the process stops
    │   ├── BadRequest         a query or body outside the spec (limit > 1000 …)   → 400
    │   └── NotFound           no person with that PIN                             → 404
    └── TryLater (benefits_shared TransientError)    the same request may pass later
        ├── RateLimited        beyond the request rate; ``retry_after`` seconds    → 429
        └── Unavailable        an outage or a random failure                       → 503

The HTTP status of each is chosen at the HTTP edge (``entrypoints/http_errors.py``).
"""

from __future__ import annotations

from benefits_shared.errors import PermanentError, TransientError


class RegistrySimulatorError(Exception):
    """The root of every error the simulators raise on purpose; ``code`` names it."""

    code = "error"


class Refusal(RegistrySimulatorError, PermanentError):
    """Retrying the same request cannot help."""


class DatasetError(Refusal):
    code = "dataset"


class BadRequest(Refusal):
    code = "bad_request"


class NotFound(Refusal):
    code = "not_found"


class TryLater(RegistrySimulatorError, TransientError):
    """Nothing was served; the same request may pass later."""


class RateLimited(TryLater):
    code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"over the request rate; retry after {retry_after} s")
        self.retry_after = retry_after


class Unavailable(TryLater):
    code = "unavailable"
