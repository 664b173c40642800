"""The consumer loop every service runs.

- No auto-commit: after the handler returns (its effects durable), the loop commits, per
  partition, the offset after the last record of the batch. Records of one partition are
  handed over in order.
- A record that can never be processed is *classified*: a decode failure or a
  :class:`PoisonMessage` from the handler sends it to ``<topic>.dlq`` with the reason in
  headers and the batch is retried without it. An unexpected exception is bisected down
  to the one record that causes it, which is dead-lettered after a few attempts.
- A transient failure (:class:`TransientError`, a lost connection) is retried with
  backoff while every assigned partition is paused, so the consumer keeps polling and
  stays in its group without fetching more.
- Metrics (``benefits_shared.metrics``): records consumed and dead-lettered per topic,
  batch duration, lag per partition; a span per record that carries a trace context.
- A consumer whose member the broker dropped and that does not rejoin is replaced
  (:mod:`benefits_shared.kafka.group_member`): between batches and between attempts to
  commit, the loop asks whether its member is wedged. A commit is bounded in time, so a
  stalled client cannot hold the loop inside it.
- ``stop()`` (SIGTERM) finishes the batch in hand, commits and leaves the group.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError

from benefits_shared import tracing
from benefits_shared.errors import PermanentError, PoisonMessage
from benefits_shared.kafka.dead_letters import StormGuard, send_to_dead_letters
from benefits_shared.kafka.group_member import GroupMember
from benefits_shared.metrics import (
    BATCH_DURATION,
    CONSUMER_LAG,
    RECORDS_CONSUMED,
    RECORDS_DEAD_LETTERED,
)
from benefits_shared.outages import (
    KAFKA,
    OUTAGES,
    POSTGRESQL,
    Backoff,
    dependency_of,
    is_outage,
    is_transient,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

UNEXPECTED_ATTEMPTS = 3
COMMIT_TIMEOUT_S = 45.0  # longer than a request time-out; aiokafka retries inside commit
#: A watched member's commit waits for the watch instead (it finds a wedge within a minute):
#: a commit that a wedged client never ends is no outage of Kafka and is not reported as one.
WATCHED_COMMIT_TIMEOUT_S = 180.0


@dataclass(frozen=True, slots=True)
class Delivery(Generic[T]):
    """A consumed record and what it decoded to."""

    record: Any
    message: T

    @property
    def position(self) -> tuple[str, int, int]:
        return (self.record.topic, self.record.partition, self.record.offset)


Decoder = Callable[[Any], T]
Handler = Callable[[Sequence[Delivery[T]]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class LoopSettings:
    group_id: str
    batch_max: int = 500
    poll_timeout_ms: int = 500
    backoff_initial_s: float = 0.2
    backoff_max_s: float = 10.0


class ConsumerLoop(Generic[T]):
    def __init__(
        self,
        consumer: AIOKafkaConsumer,
        dead_letter_producer: AIOKafkaProducer,
        decode: Decoder[T],
        handle: Handler[T],
        settings: LoopSettings,
        storm_guard: StormGuard | None = None,
        member: GroupMember | None = None,
    ) -> None:
        self._consumer = consumer
        self._member = member
        self._dlq = dead_letter_producer
        self._decode = decode
        self._handle = handle
        self._settings = settings
        self._guard = storm_guard or StormGuard()
        self._stopping = asyncio.Event()
        self.processed = 0
        self.dead_lettered = 0

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        """Poll, process, commit until ``stop()``; the clients are started by the caller."""
        backoff = self._backoff()
        while not self._stopping.is_set():
            try:
                fetched = await self._consumer.getmany(
                    timeout_ms=self._settings.poll_timeout_ms,
                    max_records=self._settings.batch_max,
                )
            except Exception as exc:
                if not is_transient(exc):
                    raise
                OUTAGES.failed(KAFKA, exc)
                await asyncio.sleep(backoff.pause())
                continue
            backoff.reset()
            if await self._renewed_if_wedged():
                continue  # what was fetched is delivered again to the new member
            records = [r for batch in fetched.values() for r in batch]
            if records:
                started = time.perf_counter()
                with tracing.consuming(self._settings.group_id, records):
                    await self._process_batch(records)
                BATCH_DURATION.labels(self._settings.group_id).observe(
                    time.perf_counter() - started
                )
                self._note_lag(records)

    async def _process_batch(self, records: list[Any]) -> None:
        deliveries: list[Delivery[T]] = []
        dead = 0
        for record in records:
            try:
                deliveries.append(Delivery(record, self._decode(record)))
            except (PermanentError, ValueError) as exc:
                await self._dead_letter(record, str(exc), "undecodable")
                dead += 1
        dead += await self._handle_isolating(deliveries)
        await self._commit(records)
        self.processed += len(records) - dead
        for topic, count in _per_topic(records).items():
            RECORDS_CONSUMED.labels(self._settings.group_id, topic).inc(count)
        self._guard.record(len(records) - dead, dead)

    async def _handle_isolating(self, deliveries: list[Delivery[T]]) -> int:
        """Handle the batch; dead-letter what can never succeed; return how many."""
        dead = 0
        pending = deliveries
        unexpected = 0
        while pending:
            try:
                await self._handle_retrying(pending)
                return dead
            except PoisonMessage as exc:
                culprit = _find(pending, exc.record_key, exc)
                await self._dead_letter(culprit.record, exc.reason, exc.kind)
                pending = [d for d in pending if d is not culprit]
                dead += 1
            except Exception as exc:
                if len(pending) > 1:
                    half = len(pending) // 2
                    return (
                        dead
                        + await self._handle_isolating(pending[:half])
                        + await self._handle_isolating(pending[half:])
                    )
                unexpected += 1
                log.warning("handler failed", extra={"error": repr(exc), "attempt": unexpected})
                if unexpected >= UNEXPECTED_ATTEMPTS:
                    await self._dead_letter(pending[0].record, repr(exc), "handler-error")
                    return dead + 1
        return dead

    def _backoff(self) -> Backoff:
        return Backoff(self._settings.backoff_initial_s, self._settings.backoff_max_s)

    async def _handle_retrying(self, deliveries: list[Delivery[T]]) -> None:
        backoff = self._backoff()
        while True:
            try:
                await self._handle(deliveries)
                OUTAGES.answered(POSTGRESQL)
                return
            except Exception as exc:
                if not is_transient(exc):
                    raise
                if is_outage(exc):  # one line from the tracker, not one per attempt
                    OUTAGES.failed(dependency_of(exc, POSTGRESQL), exc)
                else:
                    log.warning("transient failure, retrying", extra={"error": repr(exc)})
                await self._wait_paused(backoff.pause())

    async def _wait_paused(self, seconds: float) -> None:
        """Back off without leaving the group: pause fetching, keep polling."""
        assigned = list(self._consumer.assignment())
        self._consumer.pause(*assigned)
        try:
            await self._consumer.getmany(timeout_ms=int(seconds * 1000))
        finally:
            self._consumer.resume(*[tp for tp in assigned if tp in self._consumer.assignment()])

    def _note_lag(self, records: list[Any]) -> None:
        """Each partition's distance from its high watermark after this batch."""
        last: dict[TopicPartition, int] = {}
        for r in records:
            last[TopicPartition(r.topic, r.partition)] = r.offset
        assigned = self._consumer.assignment()
        for tp, offset in last.items():
            if tp not in assigned:  # revoked by a rebalance while the batch was handled
                continue
            highwater = self._consumer.highwater(tp)
            if highwater is not None:
                CONSUMER_LAG.labels(self._settings.group_id, tp.topic, str(tp.partition)).set(
                    max(0, highwater - offset - 1)
                )

    async def _dead_letter(self, record: Any, reason: str, kind: str) -> None:
        self.dead_lettered += 1
        RECORDS_DEAD_LETTERED.labels(self._settings.group_id, record.topic, kind).inc()
        log.error(
            "dead-lettered",
            extra={
                "topic": record.topic,
                "partition": record.partition,
                "offset": record.offset,
                "kind": kind,
                "reason": reason,
            },
        )
        await send_to_dead_letters(self._dlq, record, reason, kind, self._settings.group_id)

    async def _commit(self, records: list[Any]) -> None:
        """Commit the batch; while the broker is away, again with a backoff (paused, so
        that the member keeps polling and stays in its group or rejoins it)."""
        offsets: dict[TopicPartition, int] = {}
        for r in records:
            tp = TopicPartition(r.topic, r.partition)
            offsets[tp] = max(offsets.get(tp, 0), r.offset + 1)
        backoff = self._backoff()
        while True:
            try:
                if not await self._committed(offsets):
                    await self._renew()  # the new member gets these records again (see below)
                    return
                OUTAGES.answered(KAFKA)
                return
            except (CommitFailedError, IllegalStateError) as exc:
                # Rebalanced while processing: the new owner gets these records again and
                # the idempotent handler makes that harmless.
                log.warning("commit lost to a rebalance", extra={"error": repr(exc)})
                return
            except Exception as exc:
                if not is_transient(exc) or self._stopping.is_set():
                    raise
                OUTAGES.failed(KAFKA, exc)
                if await self._renewed_if_wedged():
                    return  # the new member gets these records again (see above)
                await self._wait_paused(backoff.pause())

    async def _committed(self, offsets: dict[TopicPartition, int]) -> bool:
        """Commit, in bounded time; False if the member was found wedged first (the commit
        is abandoned: a wedged client never ends it)."""
        commit = asyncio.ensure_future(self._consumer.commit(offsets))
        waits: set[asyncio.Future[Any]] = {commit}
        timeout = COMMIT_TIMEOUT_S
        if self._member is not None:
            waits.add(asyncio.ensure_future(self._member.wedged.wait()))
            timeout = WATCHED_COMMIT_TIMEOUT_S
        done, pending = await asyncio.wait(
            waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        for waiting in pending:
            waiting.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if commit in done:
            commit.result()
            return True
        if not done:
            raise TimeoutError(f"no answer to a commit in {timeout:.0f} s")
        return False

    async def _renewed_if_wedged(self) -> bool:
        """Replace the consumer if its member is wedged (out of its group for good)."""
        if self._member is None or not self._member.wedged.is_set():
            return False
        await self._renew()
        return True

    async def _renew(self) -> None:
        assert self._member is not None
        await self._member.renew()
        self._consumer = self._member.consumer


def _per_topic(records: list[Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in records:
        counts[r.topic] = counts.get(r.topic, 0) + 1
    return counts


def _find(
    pending: list[Delivery[T]], key: tuple[str, int, int] | None, exc: Exception
) -> Delivery[T]:
    if key is None and len(pending) == 1:
        return pending[0]
    for d in pending:
        if d.position == key:
            return d
    raise RuntimeError("PoisonMessage names no record of the batch") from exc
