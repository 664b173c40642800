"""What can go wrong in the eligibility engine, and what to do about it.

::

    EligibilityError
    └── PermanentError          the input can never succeed as it is: dead letter / ops,
        │                       never a retry (retrying the same event gives the same error)
        └── ParameterError      the parameter files cannot answer: fix the parameters,
            │                   then replay; never decide with a guessed (zero) value
            ├── InvalidParametersError    a file is malformed (found at start-up)
            ├── UnknownParameterError     a rule asked for a name no file defines
            └── ParameterNotInForceError  no value is in force on the date asked

Transient errors (database, Kafka) belong to the adapters that meet them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date


class EligibilityError(Exception):
    """The root of the engine's own errors."""


class PermanentError(EligibilityError):
    """Retrying cannot help: dead-letter the event and show it to ops."""


class ParameterError(PermanentError):
    """The parameters cannot answer the question a rule asked."""


class InvalidParametersError(ParameterError):
    """A parameter file is malformed: missing reference, unit, value of the wrong kind."""


class UnknownParameterError(ParameterError):
    def __init__(self, name: str) -> None:
        super().__init__(f"no parameter named {name!r}")
        self.name = name


class ParameterNotInForceError(ParameterError):
    """No value of the parameter is in force on the date: never read as zero."""

    def __init__(self, name: str, on: date, starts: Sequence[date]) -> None:
        known = ", ".join(d.isoformat() for d in starts)
        super().__init__(
            f"parameter {name!r} has no value in force on {on.isoformat()} "
            f"(values start on: {known})"
        )
        self.name = name
        self.on = on
