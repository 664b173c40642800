"""The personal identification number (PIN) and its keyed hash.

A PIN is 7 characters of ``[0-9A-HJ-NP-Z]`` (no I, no O). There are only about 5×10¹⁰
of them, so a plain hash is reversible by brute force: wherever a PIN must be referred to
without being revealed (Kafka keys, logs, metrics) we use an HMAC keyed by
``PIN_HMAC_KEY``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

PIN_PATTERN = re.compile(r"[0-9A-HJ-NP-Z]{7}")


class InvalidPinError(ValueError):
    """The text is not a PIN; the record carrying it can never succeed as it is."""


@dataclass(frozen=True, slots=True)
class Pin:
    """A validated PIN. ``repr`` hides it so that it cannot leak into a log by accident."""

    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, str) or not PIN_PATTERN.fullmatch(self.value):
            raise InvalidPinError("not a PIN: expected 7 of [0-9A-HJ-NP-Z]")

    def __repr__(self) -> str:
        return "Pin(***)"

    def __str__(self) -> str:
        return self.value


def is_pin(text: object) -> bool:
    return isinstance(text, str) and PIN_PATTERN.fullmatch(text) is not None


class PinHasher:
    """Keyed hashing of PINs: the same PIN and key always give the same 32 hex digits."""

    def __init__(self, key: str | bytes) -> None:
        if not key:
            raise ValueError("PIN_HMAC_KEY must not be empty")
        self._key = key.encode() if isinstance(key, str) else key

    def digest(self, pin: Pin | str) -> str:
        text = pin.value if isinstance(pin, Pin) else pin
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()[:32]

    def kafka_key(self, pin: Pin | str) -> bytes:
        """The message key of every event about this person: all land in one partition."""
        return self.digest(pin).encode()
