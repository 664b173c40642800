"""What the main job can see from outside the services: topics, consumer lag, the
simulators' own records (the bank's ledger, the SMS gateway's log) and the notices the
notifier has not handed over yet. Kafka and PostgreSQL reads ride out outages
(``devstack.outages``)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaTimeoutError
from benefits_shared.kafka.clients import safe_consumer
from benefits_shared.topics import (
    BENEFIT_DECISIONS,
    CLOCK_TICKS,
    LIFE_EVENTS,
    NOTICES,
    PAYMENTS,
    PERSONS,
    all_topics,
)
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.ext.asyncio import create_async_engine

from devstack.namespace import Namespace
from devstack.outages import Outages
from devstack.teardown import SCHEMAS

GROUPS = {
    "eligibility-engine": (PERSONS, LIFE_EVENTS, CLOCK_TICKS, PAYMENTS),
    "bank-gateway": (BENEFIT_DECISIONS, CLOCK_TICKS),
    "notifier": (BENEFIT_DECISIONS, PAYMENTS, PERSONS),
}


#: Seconds of reading nothing before a topic's read starts again (the broker went away).
STALLED_READS = 30

SERVICE_OF = {
    "eligibility-engine": "engine",
    "bank-gateway": "bank-gateway",
    "notifier": "notifier",
}


@dataclass(frozen=True)
class Record:
    type: str
    value: dict[str, Any]
    timestamp_ms: int
    id: str = ""


class Observer:
    """Reads Kafka (and, given ``database_url``, the notifier's notices), riding out a
    broker or database that is briefly away (``outages``)."""

    def __init__(
        self,
        bootstrap: str,
        endpoints: dict[str, str],
        ns: Namespace | None = None,
        database_url: str | None = None,
        outages: Outages | None = None,
    ) -> None:
        self._bootstrap = bootstrap
        self._endpoints = endpoints
        self.ns = ns or Namespace()
        self.outages = outages or Outages()
        self._http = httpx.AsyncClient(timeout=30)
        self._db = create_async_engine(database_url) if database_url else None
        #: Catalog topic → partition → the offset ``follow`` reads from next.
        self._followed: dict[str, dict[int, int]] = {}

    async def close(self) -> None:
        await self._http.aclose()
        if self._db is not None:
            await self._db.dispose()

    async def end_offsets(self) -> dict[str, int]:
        """Messages ever written, per topic (dead-letter topics included)."""
        return await self.outages.ride_out("Kafka", self._end_offsets)

    async def _end_offsets(self) -> dict[str, int]:
        async with self._reader() as reader:
            tps = [TopicPartition(t.name, p) for t in self.ns.topics() for p in range(t.partitions)]
            ends = await reader.end_offsets(tps)
        totals: dict[str, int] = {}
        for tp, end in ends.items():
            totals[tp.topic] = totals.get(tp.topic, 0) + end
        return {self._base(name): n for name, n in totals.items()}

    def _base(self, name: str) -> str:
        """The catalog name of a namespaced topic (the keys every caller uses)."""
        for t in all_topics():
            if self.ns.topic(t) == name or f"{self.ns.topic(t)}.dlq" == name:
                return t.name if self.ns.topic(t) == name else f"{t.name}.dlq"
        return name

    async def lag(self, ends: dict[str, int], running: set[str]) -> dict[str, int]:
        """Messages not yet processed, per consumer group of a running service (``ends``
        is unused: lag is computed per partition, from fresh end offsets)."""
        return await self.outages.ride_out("Kafka", lambda: self._lag(running))

    async def _lag(self, running: set[str]) -> dict[str, int]:
        admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap, request_timeout_ms=10_000)
        try:
            await admin.start()
            async with self._reader() as reader:
                out = {}
                for group, topics in GROUPS.items():
                    if SERVICE_OF[group] not in running:
                        continue
                    committed = await admin.list_consumer_group_offsets(
                        self.ns.group(SERVICE_OF[group])
                    )
                    tps = [
                        TopicPartition(self.ns.topic(t), p)
                        for t in topics
                        for p in range(t.partitions)
                    ]
                    latest = await reader.end_offsets(tps)
                    out[group] = sum(
                        max(0, end - (committed[tp].offset if tp in committed else 0))
                        for tp, end in latest.items()
                    )
                return out
        finally:
            await admin.close()

    async def read(self, topic: str) -> list[Record]:
        """Every record of a catalog topic (under the namespace), start to current end."""
        records, _ = await self.outages.ride_out("Kafka", lambda: self._read(topic, {}))
        return records

    async def follow(self, topic: str) -> list[Record]:
        """The records of a catalog topic written since the last ``follow`` of it (all of
        them the first time): what the progress counts, without reading a topic anew."""
        since = self._followed.setdefault(topic, {})
        records, ends = await self.outages.ride_out("Kafka", lambda: self._read(topic, since))
        since.update(ends)
        return records

    async def _read(self, topic: str, since: dict[int, int]) -> tuple[list[Record], dict[int, int]]:
        """The records from ``since`` (partition → offset; the beginning where not given)
        to the current end, and that end."""
        out: list[Record] = []
        async with self._reader() as reader:
            actual = self.ns.actual(topic)
            tps = [TopicPartition(actual, p) for p in range(_partitions(topic))]
            ends = await reader.end_offsets(tps)
            todo = [tp for tp in tps if ends[tp] > since.get(tp.partition, 0)]
            if todo:
                await _start_at(reader, todo, since)
            idle = 0
            while todo:
                batch = await reader.getmany(*todo, timeout_ms=1000, max_records=5000)
                for tp, records in batch.items():
                    out += [_record(r) for r in records if r.offset < ends[tp]]
                idle = 0 if batch else idle + 1
                if idle > STALLED_READS:
                    raise KafkaTimeoutError(f"nothing read from {actual} for {idle} s")
                todo = [tp for tp in todo if await reader.position(tp) < ends[tp]]
        return out, {tp.partition: end for tp, end in ends.items()}

    async def notices_not_handed_over(self) -> int | None:
        """Notices the notifier holds (``pending``); None without a database to ask."""
        return await self._count_notices("state = 'pending'")

    async def notices_in_retry(self) -> int | None:
        """Held notices the gateway was already offered (a retry will follow: each ends
        accepted, failed or parked); None without a database to ask."""
        return await self._count_notices("state = 'pending' AND attempts > 0")

    async def _count_notices(self, where: str) -> int | None:
        if self._db is None:
            return None
        return await self.outages.ride_out("PostgreSQL", lambda: self._counted(where))

    async def _counted(self, where: str) -> int:
        assert self._db is not None
        table = f'"{self.ns.name("notifier")}".notices'
        async with self._db.connect() as conn:
            try:
                found = await conn.scalar(text(f"SELECT count(*) FROM {table} WHERE {where}"))
            except ProgrammingError:  # the notifier has not created its tables yet
                return 0
        return int(found or 0)

    async def unpublished(self) -> dict[str, int] | None:
        """Rows waiting in each schema's outbox (schemas with one); None without a
        database to ask."""
        if self._db is None:
            return None
        return await self.outages.ride_out("PostgreSQL", self._unpublished)

    async def _unpublished(self) -> dict[str, int]:
        assert self._db is not None
        schemas = [self.ns.name(s) for s in SCHEMAS]  # each keeps an outbox
        found = text(
            "SELECT table_schema FROM information_schema.tables"
            " WHERE table_name = 'outbox' AND table_schema = ANY(:schemas)"
        )
        async with self._db.connect() as conn:
            with_outbox = (await conn.scalars(found, {"schemas": schemas})).all()
            counts = {}
            for schema in with_outbox:
                waiting = f'SELECT count(*) FROM "{schema}".outbox WHERE published_at IS NULL'
                counts[schema] = int(await conn.scalar(text(waiting)) or 0)
        return counts

    @contextlib.asynccontextmanager
    async def _reader(self) -> AsyncIterator[AIOKafkaConsumer]:
        reader = safe_consumer(self._bootstrap, None)
        try:
            await reader.start()
            yield reader
        finally:
            await _stop(reader)

    async def sim(self, endpoint: str, path: str) -> list[dict[str, Any]] | None:
        """A simulator's admin listing, or None when no simulator of ours runs there."""
        data: list[dict[str, Any]] | None = await self.sim_json(endpoint, path)
        return data

    async def sim_json(self, endpoint: str, path: str) -> Any:
        """A simulator's admin answer (JSON), or None when no simulator of ours runs there."""
        try:
            answer = await self._http.get(f"{self._endpoints[endpoint]}{path}")
        except httpx.HTTPError:
            return None
        return answer.json() if answer.status_code == 200 else None


async def _stop(reader: AIOKafkaConsumer) -> None:
    """Stop a consumer, even one whose ``start()`` failed half-way: aiokafka then awaits a
    task it cancelled before it ran, and raises that task's CancelledError; ours is only
    re-raised when this task itself is being cancelled."""
    try:
        await reader.stop()
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise


async def _start_at(
    reader: AIOKafkaConsumer, tps: list[TopicPartition], since: dict[int, int]
) -> None:
    reader.assign(tps)
    for tp in tps:
        if tp.partition in since:
            reader.seek(tp, since[tp.partition])
        else:
            await reader.seek_to_beginning(tp)


def _partitions(topic: str) -> int:
    return next(t.partitions for t in all_topics() if t.name == topic)


def _record(r: Any) -> Record:
    headers = {k: v.decode() for k, v in r.headers or ()}
    try:
        value = json.loads(r.value)
    except (ValueError, TypeError):
        value = {}
    return Record(headers.get("ce_type", ""), value, int(r.timestamp), headers.get("ce_id", ""))


__all__ = ["BENEFIT_DECISIONS", "LIFE_EVENTS", "NOTICES", "PAYMENTS", "Observer", "Record"]
