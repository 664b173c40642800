"""``Idempotency-Key``: the first answer to a key is the answer to every repeat of it.

A repeat must carry the same request (method, path and body, compared by fingerprint); a
key reused for another request is refused with 422 (IETF draft "The Idempotency-Key HTTP
Header Field", as the partner spec says). Faults injected before the work (5xx, 429,
outage) store nothing, so the retry does the work; a time-out after the work has stored
the real answer, which the retry then gets.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bank_simulator.errors import ConflictingReuse
from bank_simulator.events import AnswerStored


@dataclass(frozen=True, slots=True)
class Answer:
    status_code: int
    body: str
    media_type: str = "application/json"


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(f"{method} {path}\n".encode() + body).hexdigest()


class AnswerBook:
    def __init__(self) -> None:
        self._answers: dict[str, AnswerStored] = {}

    def recall(self, key: str, request_fingerprint: str) -> Answer | None:
        """The answer stored for ``key``; None if it is new; ConflictingReuse if it was used
        for another request."""
        stored = self._answers.get(key)
        if stored is None:
            return None
        if stored.fingerprint != request_fingerprint:
            raise ConflictingReuse("this Idempotency-Key was used for another request")
        return Answer(stored.status_code, stored.body, stored.media_type)

    def apply(self, fact: AnswerStored) -> None:
        self._answers.setdefault(fact.key, fact)
