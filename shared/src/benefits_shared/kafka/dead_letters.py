"""Dead letters: a poison record goes to ``<topic>.dlq`` unchanged, the error in headers."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer

from benefits_shared.errors import DeadLetterStorm

ERROR_HEADERS = (
    "dlq_reason",
    "dlq_kind",
    "dlq_topic",
    "dlq_partition",
    "dlq_offset",
    "dlq_group",
    "dlq_at",
)


def dead_letter_headers(record: Any, reason: str, kind: str, group: str) -> list[tuple[str, bytes]]:
    original = [(k, v) for k, v in (record.headers or ()) if not k.startswith("dlq_")]
    extra = {
        "dlq_reason": reason[:2000],
        "dlq_kind": kind,
        "dlq_topic": record.topic,
        "dlq_partition": str(record.partition),
        "dlq_offset": str(record.offset),
        "dlq_group": group,
        "dlq_at": datetime.now(UTC).isoformat(),
    }
    return original + [(k, v.encode()) for k, v in extra.items()]


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
