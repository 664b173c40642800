"""Payloads without clear PINs: every PIN-shaped token becomes ``#<keyed hash>`` (pure).

The projection keeps what the timeline needs, but never a PIN in clear: each PIN in a
payload (a field, or a token inside a text) is replaced by ``#`` and its ``PinHasher``
digest, the same digest the Kafka keys and case ids use. The digests found, with those of
case ids (``B1:<digest>``) and of the record's key, are what a lookup by PIN searches.
Names and phones are kept: the timeline shows them to an authorised user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from benefits_shared.pin import PinHasher

# The same shape as the log scrubber's: a PIN stands alone, not inside a longer token.
_PIN_RE = re.compile(r"(?<![0-9A-Za-z#])[0-9A-HJ-NP-Z]{7}(?![0-9A-Za-z])")
_DIGEST_RE = re.compile(r"[0-9a-f]{32}")
HASH_MARK = "#"


@dataclass
class Redacted:
    payload: Any
    pin_hashes: set[str] = field(default_factory=set)


class PinRedactor:
    def __init__(self, hasher: PinHasher) -> None:
        self._hasher = hasher

    def redact(self, value: Any) -> Redacted:
        found: set[str] = set()
        return Redacted(self._walk(value, found), found)

    def digest(self, pin: str) -> str:
        return self._hasher.digest(pin)

    def _walk(self, value: Any, found: set[str]) -> Any:
        if isinstance(value, str):
            return self._text(value, found)
        if isinstance(value, dict):
            return {k: self._walk(v, found) for k, v in value.items()}
        if isinstance(value, list):
            return [self._walk(v, found) for v in value]
        return value

    def _text(self, text: str, found: set[str]) -> str:
        def hashed(match: re.Match[str]) -> str:
            digest = self._hasher.digest(match.group())
            found.add(digest)
            return HASH_MARK + digest

        return _PIN_RE.sub(hashed, text)


def digests_in(*texts: str | None) -> set[str]:
    """Keyed hashes already in a text: a case id's subject, a record's key."""
    return {d for t in texts if t for d in _DIGEST_RE.findall(t)}
