"""Dead letters: a poison record goes to ``<topic>.dlq`` unchanged, the error in headers."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer

from benefits_shared.errors import DeadLetterStorm

PREFIX = "dlq_"
Headers = Sequence[tuple[str, bytes]]


@dataclass(frozen=True, slots=True)
class DeadLetterHeaders:
    """Why a record is a dead letter and where it came from, as ``dlq_*`` Kafka headers.

    The one writer and reader of the convention: the consumer loop (a poison record), the
    registry connectors (a quarantined registry record, never on a topic: ``partition`` and
    ``offset`` are None, ``extra`` says where it came from, e.g. ``source``, ``seq``,
    ``file``, ``line``, ``id``) and the ops service (which lists, shows and redrives them).
    Read tolerantly: a missing or unreadable header is None (reason and kind have a word).
    """

    reason: str
    kind: str
    topic: str
    group: str | None
    at: datetime | None
    partition: int | None = None
    offset: int | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    def encode(self) -> list[tuple[str, bytes]]:
        """The ``dlq_*`` headers; the reason is cut to 2,000 characters."""
        named = {
            "reason": self.reason[:2000],
            "kind": self.kind,
            "topic": self.topic,
            "partition": _or_none(self.partition),
            "offset": _or_none(self.offset),
            "group": self.group,
            **self.extra,
            "at": self.at.isoformat() if self.at else None,
        }
        return [(PREFIX + k, v.encode()) for k, v in named.items() if v is not None]

    @classmethod
    def decode(cls, headers: Headers) -> DeadLetterHeaders:
        found = {k.removeprefix(PREFIX): _text(v) for k, v in headers if k.startswith(PREFIX)}
        known = {"reason", "kind", "topic", "partition", "offset", "group", "at"}
        return cls(
            reason=found.get("reason") or "(no reason given)",
            kind=found.get("kind") or "unknown",
            topic=found.get("topic") or "",
            group=found.get("group") or None,
            at=_time(found.get("at")),
            partition=_int(found.get("partition")),
            offset=_int(found.get("offset")),
            extra={k: v for k, v in found.items() if k not in known},
        )


def without_dead_letter_headers(headers: Headers | None) -> list[tuple[str, bytes]]:
    """The record's own headers, the ``dlq_*`` ones removed (to dead-letter or redrive it)."""
    return [(k, v) for k, v in (headers or ()) if not k.startswith(PREFIX)]


def dead_letter_headers(record: Any, reason: str, kind: str, group: str) -> list[tuple[str, bytes]]:
    """A consumed record's headers with why and where from it was dead-lettered."""
    why = DeadLetterHeaders(
        reason, kind, record.topic, group, datetime.now(UTC), record.partition, record.offset
    )
    return without_dead_letter_headers(record.headers) + why.encode()


async def send_to_dead_letters(
    producer: AIOKafkaProducer, record: Any, reason: str, kind: str, group: str
) -> None:
    """Write the record to its dead-letter topic and wait until the broker has it."""
    await producer.send_and_wait(
        f"{record.topic}.dlq",
        value=record.value,
        key=record.key,
        headers=dead_letter_headers(record, reason, kind, group),
    )


class StormGuard:
    """Stops a consumer whose recent records are mostly dead letters.

    Over the last ``window`` records, more than ``max_ratio`` of them dead-lettered (once at
    least ``window`` records were seen) means something upstream is broken: better to stop
    and call a human than to drain a topic into its dead-letter queue.
    """

    def __init__(self, window: int = 1000, max_ratio: float = 0.5) -> None:
        self._recent: deque[bool] = deque(maxlen=window)
        self._max_ratio = max_ratio

    def record(self, processed: int, dead: int) -> None:
        self._recent.extend([False] * processed)
        self._recent.extend([True] * dead)
        full = len(self._recent) == self._recent.maxlen
        if full and sum(self._recent) > self._max_ratio * len(self._recent):
            raise DeadLetterStorm(
                f"{sum(self._recent)} of the last {len(self._recent)} records were dead letters"
            )


def _or_none(number: int | None) -> str | None:
    return None if number is None else str(number)


def _text(raw: bytes | None) -> str:
    return raw.decode("utf-8", errors="replace") if raw is not None else ""


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


def _time(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
