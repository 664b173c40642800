"""The messages the gateway accepted: the journal tests read to check nothing went twice.

An accepted message is also the record of its idempotency key: the key, a fingerprint of
the body it came with, and the answer given, replayed for every repeat of the key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Protocol

from benefits_shared.sms_encoding import Encoding


@dataclass(frozen=True, slots=True)
class Submission:
    """The body of ``POST /v1/messages``, validated."""

    to: str
    text: str
    sender: str
    callback_url: str

    def fingerprint(self) -> str:
        """Equal for equal bodies whatever their JSON spacing or key order."""
        canonical = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AcceptedMessage:
    message_id: str
    idempotency_key: str
    fingerprint: str
    to: str
    text: str
    sender: str
    callback_url: str
    segments: int
    encoding: Encoding
    accepted_at: datetime

    def answer(self) -> dict[str, Any]:
        """The ``202`` body: the same for the first request and every replay."""
        return {"message_id": self.message_id, "segments": self.segments, "encoding": self.encoding}

    def to_record(self) -> dict[str, Any]:
        return {**asdict(self), "accepted_at": self.accepted_at.isoformat()}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> AcceptedMessage:
        return cls(**{**record, "accepted_at": datetime.fromisoformat(record["accepted_at"])})


class Sink(Protocol):
    """Where accepted messages are kept beyond the process (the JSON-lines journal)."""

    def append(self, message: AcceptedMessage) -> None: ...


class MessageBook:
    """Every accepted message in order of acceptance, found by its idempotency key."""

    def __init__(self, sink: Sink, earlier: Iterable[AcceptedMessage] = ()) -> None:
        self._sink = sink
        self._messages: list[AcceptedMessage] = []
        self._by_key: dict[str, AcceptedMessage] = {}
        for message in earlier:
            self._keep(message)

    def find(self, idempotency_key: str) -> AcceptedMessage | None:
        return self._by_key.get(idempotency_key)

    def record(self, message: AcceptedMessage) -> None:
        """Written to the sink first: a message is accepted once it is in the journal."""
        self._sink.append(message)
        self._keep(message)

    def all(self) -> list[AcceptedMessage]:
        return list(self._messages)

    def count(self) -> int:
        return len(self._messages)

    def _keep(self, message: AcceptedMessage) -> None:
        self._messages.append(message)
        self._by_key[message.idempotency_key] = message
