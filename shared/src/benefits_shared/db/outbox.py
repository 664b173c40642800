"""The transactional outbox and its relay.

A service writes its events into ``<schema>.outbox`` in the same transaction as the
effect. The relay publishes them in ``id`` order with an idempotent producer, exactly once
even when it is killed at any moment:

1. *claim*: read the oldest unpublished rows and note, in one ``outbox_batches`` row,
   their ids and, for every partition of their topics, the end offset before sending;
2. *send* the batch and wait for every acknowledgement;
3. *confirm*: mark the rows published and the batch complete.

The claim writes one row, not one per event: the outbox rows are wide, and writing a batch
mark into each was the largest writer of WAL of an end-to-end run (issue #12). The ids
are listed, not given as a range, because ids are taken when a transaction inserts and
seen when it commits: a row with an id inside the range may commit after the claim.

A relay that starts and finds a claimed batch not confirmed reads each partition from the
noted offset to its end and marks published the rows whose ``ce_id`` it finds there; the
rest are sent again. A batch claimed by a relay from before ``row_ids`` is found through
``outbox.batch_id``, as that relay marked it. Only one relay per schema runs at a time (a
PostgreSQL advisory lock, tried every second by a standby relay).

While Kafka or PostgreSQL is away the relay does not end: it reports the failure
(``benefits_shared.outages``), lets its lock connection go, waits with a backoff and starts
again from step 0, taking the lock and recovering the batch it may have left claimed. The
lock is a session's and vanishes with it (a PostgreSQL crash, a cut connection): the
relay asks its lock connection every ``LOCK_CHECK_S`` and starts again when it is gone,
so it never publishes without the lock for longer than that.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from sqlalchemy import ARRAY, BigInteger, Table, any_, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from benefits_shared import tracing
from benefits_shared.cloudevents import CloudEvent
from benefits_shared.metrics import OUTBOX_BACKLOG, OUTBOX_PUBLISHED, OUTBOX_RELAY_LATENCY
from benefits_shared.outages import (
    OUTAGES,
    POSTGRESQL,
    Backoff,
    dependency_of,
    is_transient,
    wait_or_stop,
)

log = logging.getLogger(__name__)
LOCK_CHECK_S = 1.0
STANDBY_S = 1.0
#: Never a blocking wait: a standby relay stays stoppable and no statement waits for long.
TRY_LOCK = text("SELECT pg_try_advisory_lock(hashtext(:k))")


@dataclass(frozen=True, slots=True)
class OutgoingEvent:
    """An event bound for a topic, with its partition key (a PIN hash, never a PIN).

    ``causes``: ids of the consumed events it follows from, when its key is not theirs;
    its trace context is a child of its cause's (``benefits_shared.tracing``). ``parent``:
    that trace context itself, when the caller kept it (then nothing is looked up).
    """

    topic: str
    key: bytes | None
    event: CloudEvent
    causes: tuple[str, ...] = field(default=())
    parent: str | None = None

    def row(self) -> dict[str, Any]:
        parent = self.parent or tracing.cause_of(self.key, *self.causes)
        event = traced(self.event, self.topic, parent)
        return {
            "event_id": event.id,
            "topic": self.topic,
            "key": self.key,
            "headers": [[k, v.decode()] for k, v in event.headers()],
            "value": event.value(),
            "traceparent": event.extensions.get(tracing.TRACEPARENT),
        }


async def kept_traces(
    session: AsyncSession, outbox: Table, event_ids: Sequence[str]
) -> dict[str, str]:
    """The trace contexts the schema's inbox kept for those of ``event_ids`` that are not
    in the batch in hand (a worker's events follow from events consumed earlier)."""
    wanted = [i for i in dict.fromkeys(event_ids) if tracing.cause_of(i) is None]
    statement = _statements(outbox).kept_traces
    if statement is None or not wanted:
        return {}
    found = await session.execute(statement, {"ids": wanted})
    return {str(i): str(t) for i, t in found}


@dataclass(frozen=True, slots=True)
class _Statements:
    """An outbox's statements, built once per table: SQLAlchemy keeps a statement object's
    cache key, so a constant statement skips the walk over a new one's clauses on every
    execution (about half of a small statement's CPU, measured)."""

    queue: Any
    kept_traces: Any | None


@functools.lru_cache(maxsize=256)  # a service has a few outboxes; a test run, many
def _statements(outbox: Table) -> _Statements:
    inbox = outbox.metadata.tables.get(f"{outbox.schema}.inbox" if outbox.schema else "inbox")
    kept = None
    if inbox is not None:
        kept = select(inbox.c.event_id, inbox.c.traceparent).where(
            inbox.c.event_id.in_(bindparam("ids", expanding=True)),
            inbox.c.traceparent.is_not(None),
        )
    # The rows as parameters of one constant statement (SQLAlchemy renders their VALUES
    # from its cached compilation): ``.values(rows)`` compiles anew for every call, which
    # measured 39 ms of CPU for 500 rows against 4.8 ms this way.
    queue = (
        insert(outbox)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(outbox.c.event_id)
    )
    return _Statements(queue, kept)


def traced(event: CloudEvent, topic: str, parent: str | None) -> CloudEvent:
    """The event with a trace context: its own, else a child of ``parent`` (if any)."""
    if tracing.TRACEPARENT in event.extensions:
        return event
    traceparent = tracing.child_of(parent, f"{topic} publish", event_type=event.type)
    if traceparent is None:
        return event
    return replace(event, extensions={**event.extensions, tracing.TRACEPARENT: traceparent})


async def add_to_outbox(
    session: AsyncSession, outbox: Table, events: Iterable[OutgoingEvent]
) -> int:
    """Queue events in the caller's transaction; an event id already queued is skipped.

    An event whose cause is not in the batch in hand (a worker's event) continues the
    trace its cause was consumed in, as the schema's inbox kept it.
    """
    events = list(events)
    looked_up = [c for e in events if e.parent is None for c in e.causes]
    kept = await kept_traces(session, outbox, looked_up)
    rows = []
    for e in events:
        with tracing.within(next((kept[c] for c in e.causes if c in kept), tracing.cause_of())):
            rows.append(e.row())
    if not rows:
        return 0
    return len((await session.execute(_statements(outbox).queue, rows)).all())


@dataclass(frozen=True, slots=True)
class RelayTables:
    outbox: Table
    batches: Table

    @property
    def schema(self) -> str:
        return self.outbox.schema or "public"


class OutboxRelay:
    def __init__(
        self,
        engine: AsyncEngine,
        tables: RelayTables,
        producer: AIOKafkaProducer,
        reader: AIOKafkaConsumer,
        batch_size: int = 1000,
        idle_wait_s: float = 0.1,
    ) -> None:
        self._engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._t = tables
        self._producer = producer
        self._reader = reader
        self._batch_size = batch_size
        self._idle_wait_s = idle_wait_s
        self._stopping = asyncio.Event()
        self._partitions: dict[str, list[TopicPartition]] = {}
        self._claimed: dict[uuid.UUID, list[int]] = {}  # batch → its outbox ids
        self.published = 0
        # The statements of every round, built once (see ``_Statements``).
        o, b = tables.outbox, tables.batches
        self._oldest = (
            select(o.c.id, o.c.event_id, o.c.topic, o.c.key, o.c.headers, o.c.value, o.c.created_at)
            .where(o.c.published_at.is_(None))
            .order_by(o.c.id)
            .limit(batch_size)
        )
        self._open_batch = insert(b)
        self._mark_published = (
            update(o)
            .where(
                o.c.id == any_(bindparam("ids", type_=ARRAY(BigInteger))),
                o.c.published_at.is_(None),
            )
            .values(published_at=func.now())
        )
        self._close_batch = (
            update(b).where(b.c.batch_id == bindparam("batch")).values(completed_at=func.now())
        )

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        """Publish until ``stop()``; while a dependency is away, again after a pause; while
        another relay of the schema holds the lock, ask again every ``STANDBY_S``."""
        backoff = Backoff()
        while not self._stopping.is_set():
            try:
                held = await self._publish_holding_the_lock(backoff)
            except Exception as exc:
                if not is_transient(exc):
                    raise
                OUTAGES.failed(dependency_of(exc, POSTGRESQL), exc)
                await wait_or_stop(self._stopping, backoff.pause())
                continue
            if not held:
                await wait_or_stop(self._stopping, STANDBY_S)

    async def _publish_holding_the_lock(self, backoff: Backoff) -> bool:
        """Take the relay lock of the schema (False if another relay holds it), recover,
        then publish until ``stop()`` or until the lock's session is gone."""
        async with self._engine.connect() as lock:
            taken = await lock.scalar(TRY_LOCK, {"k": f"outbox:{self._t.schema}"})
            await lock.commit()
            if not taken:
                return False
            # What an interrupted round left in the producer lands (or expires) before
            # recovery reads the partitions: else it could land after and be sent twice.
            await self._producer.flush()
            await self.recover()
            checked = time.monotonic()
            while not self._stopping.is_set():
                if time.monotonic() - checked >= LOCK_CHECK_S:
                    await lock.execute(text("SELECT 1"))  # raises when the session is gone
                    await lock.commit()
                    checked = time.monotonic()
                published = await self.publish_once()
                OUTAGES.answered(POSTGRESQL)
                backoff.reset()
                if published == 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stopping.wait(), self._idle_wait_s)
            return True

    async def publish_once(self) -> int:
        claimed = await self._claim()
        if claimed is None:
            OUTBOX_BACKLOG.labels(self._t.schema).set(0)
            return 0
        batch_id, rows = claimed
        futures = [
            await self._producer.send(
                r.topic, value=r.value, key=r.key, headers=[(k, v.encode()) for k, v in r.headers]
            )
            for r in rows
        ]
        await asyncio.gather(*futures)
        await self._confirm(batch_id, published=None)
        self.published += len(rows)
        await self._note_published(rows)
        return len(rows)

    async def _note_published(self, rows: Sequence[Any]) -> None:
        """Metrics: latency of each row, per-topic counts, and what is still waiting (a
        batch smaller than the limit took every row there was)."""
        schema, now = self._t.schema, datetime.now(UTC)
        latency = OUTBOX_RELAY_LATENCY.labels(schema)
        for r in rows:
            latency.observe(max(0.0, (now - r.created_at).total_seconds()))
            OUTBOX_PUBLISHED.labels(schema, r.topic).inc()
        backlog = 0
        if len(rows) >= self._batch_size:
            o = self._t.outbox
            async with self._sessions() as session:
                backlog = int(
                    await session.scalar(
                        select(func.count()).select_from(o).where(o.c.published_at.is_(None))
                    )
                    or 0
                )
        OUTBOX_BACKLOG.labels(schema).set(backlog)

    async def _claim(self) -> tuple[uuid.UUID, Sequence[Any]] | None:
        """Note the oldest unpublished rows as one batch, with where each partition ends.

        Reading them takes no row lock: one relay per schema holds the relay lock."""
        batch_id = uuid.uuid4()
        async with self._sessions.begin() as session:
            rows = (await session.execute(self._oldest)).all()
            if not rows:
                return None
            ids = [r.id for r in rows]
            ends = await self._end_offsets({r.topic for r in rows})
            await session.execute(
                self._open_batch, {"batch_id": batch_id, "end_offsets": ends, "row_ids": ids}
            )
        self._claimed[batch_id] = ids
        return batch_id, rows

    async def _confirm(
        self, batch_id: uuid.UUID, published: set[str] | None, row_ids: list[int] | None = None
    ) -> None:
        """Mark the batch's rows published (all, or only ``published``); close the batch.

        ``row_ids``: the batch's outbox ids as its row noted them (recovery), else those
        this relay claimed; None for a batch claimed the old way (``outbox.batch_id``)."""
        ids = self._claimed.pop(batch_id, None) or row_ids
        async with self._sessions.begin() as session:
            if published is None:  # a round of this relay, which claimed the batch
                assert ids is not None
                await session.execute(self._mark_published, {"ids": ids})
            elif ids is not None:  # recovery: only the rows found in Kafka; the rest go again
                o = self._t.outbox
                found = self._mark_published.where(o.c.event_id.in_(published))
                await session.execute(found, {"ids": ids})
            else:  # recovery of a batch claimed the old way, its mark in each row
                o = self._t.outbox
                mark = update(o).where(o.c.batch_id == batch_id, o.c.published_at.is_(None))
                await session.execute(
                    mark.where(o.c.event_id.in_(published)).values(published_at=func.now())
                )
                await session.execute(mark.values(batch_id=None))
            await session.execute(self._close_batch, {"batch": batch_id})

    async def recover(self) -> None:
        """Settle the batches a killed relay left claimed but not confirmed."""
        b = self._t.batches
        async with self._sessions() as session:
            pending = (
                await session.execute(
                    select(b.c.batch_id, b.c.end_offsets, b.c.row_ids).where(
                        b.c.completed_at.is_(None)
                    )
                )
            ).all()
        for batch_id, ends, row_ids in pending:
            found = await self._ids_written_since(ends)
            await self._confirm(batch_id, published=found, row_ids=row_ids)
            log.info("outbox batch recovered", extra={"batch": str(batch_id)})

    async def _partitions_of(self, topic: str) -> list[TopicPartition]:
        if topic not in self._partitions:
            parts = await self._producer.partitions_for(topic)
            self._partitions[topic] = [TopicPartition(topic, p) for p in sorted(parts)]
        return self._partitions[topic]

    async def _end_offsets(self, topics: set[str]) -> dict[str, int]:
        tps = [tp for t in sorted(topics) for tp in await self._partitions_of(t)]
        ends = await self._reader.end_offsets(tps)
        return {f"{tp.topic}:{tp.partition}": int(off) for tp, off in ends.items()}

    async def _ids_written_since(self, starts: dict[str, int]) -> set[str]:
        """Every ``ce_id`` written to the noted partitions since the noted offsets."""
        tps = {
            TopicPartition(k.rsplit(":", 1)[0], int(k.rsplit(":", 1)[1])): v
            for k, v in starts.items()
        }
        ends = await self._reader.end_offsets(list(tps))
        todo = {tp for tp in tps if ends[tp] > tps[tp]}
        found: set[str] = set()
        if not todo:
            return found
        self._reader.assign(list(todo))
        for tp in todo:
            self._reader.seek(tp, tps[tp])
        while todo:
            batches = await self._reader.getmany(*todo, timeout_ms=1000)
            for records in batches.values():
                for r in records:
                    found.update(v.decode() for k, v in r.headers if k == "ce_id")
            todo = {tp for tp in todo if await self._reader.position(tp) < ends[tp]}
        self._reader.unsubscribe()
        return found
