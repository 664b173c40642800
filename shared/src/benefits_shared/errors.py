"""What to do next, by the error's class.

::

    BenefitsError
    ├── PermanentError        never succeeds as it is: dead-letter or quarantine it
    │   ├── PoisonMessage     a consumed record we cannot process (goes to <topic>.dlq)
    │   └── DeadLetterStorm   too many poison messages: stop the consumer, call a human
    └── TransientError        retry later with the same idempotency key
"""

from __future__ import annotations


class BenefitsError(Exception):
    """The root of every error the project raises on purpose."""


class PermanentError(BenefitsError):
    """Retrying cannot help."""


class TransientError(BenefitsError):
    """Retrying later, with the same identity, may help."""


class PoisonMessage(PermanentError):
    """A record that can never be processed; ``reason`` says why, ``kind`` classifies it.

    ``record_key`` names the record inside a batch: ``(topic, partition, offset)``.
    """

    def __init__(
        self, reason: str, *, kind: str = "invalid", record_key: tuple[str, int, int] | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.record_key = record_key


class DeadLetterStorm(PermanentError):
    """The share of dead letters passed the limit: something upstream is broken."""
