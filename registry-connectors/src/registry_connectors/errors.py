"""What to do next, by the error's class.

::

    BenefitsError                       (benefits_shared.errors)
    ├── PermanentError                  retrying cannot help
    │   └── RegistryRefused             the registry rejects our request (4xx but 429):
    │                                   a bug or a wrong URL; the connector stops, a human looks
    └── TransientError                  back off, then repeat the same request
        ├── RegistryUnavailable         503 and other 5xx, time-out, refused connection,
        │   │                           a page that is not the documented JSON
        │   └── RateLimited             429: wait what ``Retry-After`` says
        └── CheckpointMoved             another instance moved our checkpoint: reload it

A malformed *record* is not an error here: it is data, and the pure core turns it into a
quarantine message (``<topic>.dlq``) so that the feed goes on. Kafka and PostgreSQL
failures are classified by :func:`is_transient`.
"""

from __future__ import annotations

from aiokafka.errors import KafkaTimeoutError
from benefits_shared.errors import PermanentError, TransientError
from benefits_shared.outages import is_transient as _shared_is_transient


class RegistryRefused(PermanentError):
    """The registry answered 4xx (not 429) to a request we built: never retried as is."""


class RegistryUnavailable(TransientError):
    """The registry did not answer usefully this time; ``retry_after`` in seconds if it said."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class RateLimited(RegistryUnavailable):
    """429 Too Many Requests."""


class CheckpointMoved(TransientError):
    """The checkpoint in PostgreSQL is not where this process left it."""


def is_transient(exc: BaseException) -> bool:
    """Worth another try after a pause: our transient errors, lost connections, time-outs."""
    return isinstance(exc, KafkaTimeoutError) or _shared_is_transient(exc)
