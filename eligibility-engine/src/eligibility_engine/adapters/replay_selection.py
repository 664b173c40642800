"""Which cases a replay or shadow run covers: its selection resolved to case keys.

A selection of recorded events (a topic and a time range, a partition and an offset
range) is read from Kafka, outside any consumer group; every PIN, certificate number,
record number and case id its payloads name is then looked up in the engine's facts, and
every case that names one of them is selected: a birth selects the child's case and every
sibling's (through the parents), a death the deceased's, a certificate its own, a payment
its case. One person selects every case naming them. Read-only.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from benefits_shared.connections import KafkaConnection
from benefits_shared.contracts.ops import ReplaySelection
from benefits_shared.kafka.clients import safe_consumer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from eligibility_engine.case_keys import CaseKey

PIN_FIELDS = ("pin", "recipient_pin")
RECORD_FIELDS = ("record_no", "cancels", "corrects")
#: Keys per lookup.
CHUNK = 5000
#: Empty polls of a second in a row after which a partition is read as far as it goes.
IDLE_POLLS = 30

CASES_NAMING = """
SELECT 'B1', child_pin FROM {s}.births
WHERE child_pin = ANY(:pins) OR mother_pin = ANY(:pins) OR father_pin = ANY(:pins)
   OR record_no = ANY(:records)
UNION SELECT 'B2', certificate_no FROM {s}.certificates
WHERE holder_pin = ANY(:pins) OR certificate_no = ANY(:certificates)
UNION SELECT 'B3', deceased_pin FROM {s}.deaths
WHERE deceased_pin = ANY(:pins) OR informant_pin = ANY(:pins) OR record_no = ANY(:records)
UNION SELECT benefit, subject FROM {s}.cases
WHERE case_id = ANY(:cases) AND benefit IN ('B1', 'B2', 'B3')"""

EVERY_CASE = """
SELECT 'B1', child_pin FROM {s}.births
UNION SELECT 'B2', certificate_no FROM {s}.certificates
UNION SELECT 'B3', deceased_pin FROM {s}.deaths"""

#: Family: the cases of a child's parents' other children come with it (the rank of a
#: child among its siblings decides the grant).
PARENTS_OF = """
SELECT mother_pin, father_pin FROM {s}.births WHERE child_pin = ANY(:children)"""


@dataclass
class Named:
    """What a selection's records name."""

    pins: set[str] = field(default_factory=set)
    certificates: set[str] = field(default_factory=set)
    records: set[str] = field(default_factory=set)
    cases: set[str] = field(default_factory=set)

    def add(self, payload: Mapping[str, Any]) -> None:
        for key, value in _leaves(payload):
            if not isinstance(value, str) or not value:
                continue
            if key in PIN_FIELDS or key.endswith("_pin"):
                self.pins.add(value)
            elif key == "certificate_no":
                self.certificates.add(value)
            elif key in RECORD_FIELDS:
                self.records.add(value)
            elif key == "case_id":
                self.cases.add(value)

    def params(self) -> Iterator[dict[str, list[str]]]:
        """The query's arrays, a bounded chunk of one kind at a time (a whole topic can
        name a million PINs)."""
        kinds = {
            "pins": self.pins,
            "certificates": self.certificates,
            "records": self.records,
            "cases": self.cases,
        }
        for kind, values in kinds.items():
            ordered = sorted(values)
            for start in range(0, len(ordered), CHUNK):
                chunk: dict[str, list[str]] = {k: [] for k in kinds}
                chunk[kind] = ordered[start : start + CHUNK]
                yield chunk


class ReplaySelector:
    def __init__(
        self, schema: str, bootstrap: str | KafkaConnection, topics: Iterable[str]
    ) -> None:
        quoted = '"' + schema.replace('"', '""') + '"'
        self._sql = {
            "naming": text(CASES_NAMING.replace("{s}", quoted)),
            "every": text(EVERY_CASE.replace("{s}", quoted)),
            "parents": text(PARENTS_OF.replace("{s}", quoted)),
        }
        self._bootstrap = bootstrap
        self._topics = tuple(topics)

    async def cases(self, s: AsyncSession, selection: ReplaySelection) -> list[CaseKey]:
        """The selected cases, sorted."""
        if selection.kind == "everything":
            rows = await s.execute(self._sql["every"])
            return sorted(CaseKey(r[0], r[1]) for r in rows)
        named = Named()
        if selection.kind == "person":
            named.pins.add(selection.pin or "")
        else:
            async for payload in self.records(selection):
                named.add(payload)
        return await self._naming(s, named)

    async def _naming(self, s: AsyncSession, named: Named) -> list[CaseKey]:
        found = await self._cases_naming(s, named)
        children = sorted(k.subject for k in found if k.benefit == "B1")
        parents: set[str] = set()
        for start in range(0, len(children), CHUNK):
            chunk = {"children": children[start : start + CHUNK]}
            parents |= {p for r in await s.execute(self._sql["parents"], chunk) for p in r if p}
        return sorted(found | await self._cases_naming(s, Named(pins=parents)))

    async def _cases_naming(self, s: AsyncSession, named: Named) -> set[CaseKey]:
        found: set[CaseKey] = set()
        for params in named.params():
            found |= {CaseKey(r[0], r[1]) for r in await s.execute(self._sql["naming"], params)}
        return found

    def topic(self, name: str) -> str:
        """A catalog topic's name as this engine reads it (tests and runs add a suffix)."""
        for actual in self._topics:
            if actual == name or actual.startswith(f"{name}-"):
                return actual
        raise ValueError(f"the engine does not read a topic named {name!r}")

    async def records(self, selection: ReplaySelection) -> AsyncIterator[Mapping[str, Any]]:
        """The payloads of the selected records, read committed, outside any group."""
        topic = self.topic(selection.topic or "")
        reader = safe_consumer(self._bootstrap, None, enable_auto_commit=False)
        await reader.start()
        try:
            ranges = await _ranges(reader, topic, selection)
            for tp, (start, end) in ranges.items():
                async for value in _read(reader, tp, start, end):
                    yield value
        finally:
            await reader.stop()


async def _ranges(
    reader: AIOKafkaConsumer, topic: str, selection: ReplaySelection
) -> dict[TopicPartition, tuple[int, int]]:
    """Per partition, the first offset selected and the offset after the last."""
    # What ``topics()`` reads, kept (the consumer's own metadata knows subscribed topics).
    cluster = await reader._client.fetch_all_metadata()
    partitions = sorted(cluster.partitions_for_topic(topic) or ())
    if selection.kind == "topic_offsets":
        tp = TopicPartition(topic, selection.partition or 0)
        end = (await reader.end_offsets([tp]))[tp]
        last = end if selection.offset_to is None else min(end, selection.offset_to + 1)
        return {tp: (selection.offset_from or 0, last)}
    tps = [TopicPartition(topic, p) for p in partitions]
    ends = await reader.end_offsets(tps)
    starts = await reader.beginning_offsets(tps)
    if selection.since is not None:
        starts = await _offsets_at(reader, tps, selection.since, ends)
    if selection.until is not None:
        ends = await _offsets_at(reader, tps, selection.until, ends)
    return {tp: (starts[tp], ends[tp]) for tp in tps if starts[tp] < ends[tp]}


async def _offsets_at(
    reader: AIOKafkaConsumer,
    tps: list[TopicPartition],
    at: datetime,
    ends: Mapping[TopicPartition, int],
) -> dict[TopicPartition, int]:
    """The first offset of each partition at or after ``at`` (its end if none)."""
    found = await reader.offsets_for_times({tp: int(at.timestamp() * 1000) for tp in tps})
    return {tp: (found[tp].offset if found.get(tp) else ends[tp]) for tp in tps}


async def _read(
    reader: AIOKafkaConsumer, tp: TopicPartition, start: int, end: int
) -> AsyncIterator[Mapping[str, Any]]:
    reader.assign([tp])
    reader.seek(tp, start)
    idle = 0
    while (at := await reader.position(tp)) < end and idle < IDLE_POLLS:
        batch = await reader.getmany(tp, timeout_ms=1000, max_records=1000)
        # Nothing readable before the end for a while: an aborted or control record.
        idle = idle + 1 if not batch and await reader.position(tp) == at else 0
        for record in batch.get(tp, []):
            if record.offset >= end:
                return
            payload = _payload(record.value)
            if payload is not None:
                yield payload


def _payload(value: bytes | None) -> Mapping[str, Any] | None:
    try:
        payload = json.loads(value) if value else None
    except ValueError:
        return None  # not ours to judge here: the consumer loop dead-lettered it
    return payload if isinstance(payload, dict) else None


def _leaves(node: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    """Every (field name, value) of a JSON document, nested ones included."""
    if isinstance(node, Mapping):
        for k, v in node.items():
            yield from _leaves(v, str(k))
    elif isinstance(node, list):
        for item in node:
            yield from _leaves(item, key)
    else:
        yield key, node
