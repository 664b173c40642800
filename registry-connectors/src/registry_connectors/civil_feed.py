"""What one page of the civil-registry feed becomes: events, quarantined records, a cursor.

Pure: it is given what the connector remembers of the record numbers on the page (and of
those a cancellation or correction refers to) and decides, record by record, in feed order:

- a record number seen before with the same content (``seq`` aside) is a re-delivery:
  nothing is sent again (had it been, it would carry the same ``ce_id``);
- a valid record becomes its event, keyed by the keyed hash of the child's or deceased's
  PIN; a cancellation or correction is keyed like the record it refers to when that one
  was seen, else by the keyed hash of the referred record number;
- a malformed record, or a record number already published with other content, is
  quarantined with its reason, once per content;
- the cursor moves to the highest ``seq`` of the page.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from benefits_shared.pin import PinHasher

from registry_connectors.civil_quick import QuickRead, quick_read
from registry_connectors.civil_records import ReadRecord, read_record
from registry_connectors.outgoing import Outgoing
from registry_connectors.quarantine import Defect, Origin, quarantine_message
from registry_connectors.raw_fields import MAX_SEQ, Malformed
from registry_connectors.untrusted_json import is_storable_number, raw_json

SOURCE = "civil-registry"
CE_SOURCE = "/registry-connectors/civil-registry"
CONFLICT = Defect("conflicting_redelivery", "record_no was already published with other content")


@dataclass(frozen=True, slots=True)
class Page:
    """One answer of ``GET /v1/records``: the raw records and ``last_seq``."""

    records: Sequence[object]
    last_seq: int


@dataclass(frozen=True, slots=True)
class Seen:
    """What the connector remembers of a record number (table ``civil_records``): the
    content it published under it and the Kafka subject it used, and every other content
    it quarantined under it (so that none is quarantined twice)."""

    published_hash: str | None = None
    subject: str | None = None
    rejected: frozenset[str] = frozenset()

    def rejecting(self, digest: str) -> Seen:
        return Seen(self.published_hash, self.subject, self.rejected | {digest})


@dataclass(slots=True)
class PagePlan:
    messages: list[Outgoing] = field(default_factory=list)
    remember: dict[str, Seen] = field(default_factory=dict)
    cursor: int = 0
    published: int = 0
    quarantined: int = 0
    redelivered: int = 0


#: Canonical JSON for content hashes, built once (``json.dumps`` with options builds one a
#: call). The text must never change: the hashes are stored (``civil_records``).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(raw: object) -> str:
    """The content of a record without its ``seq`` (a re-delivery has a later one)."""
    body = {k: v for k, v in raw.items() if k != "seq"} if isinstance(raw, Mapping) else raw
    text = _CANONICAL.encode(body)
    # surrogatepass: an unpaired surrogate (quarantined) still has a content; others are UTF-8
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def referenced_numbers(records: Sequence[object]) -> set[str]:
    """The record numbers to look up before planning: each record's and those it refers to."""
    numbers: set[str] = set()
    for raw in records:
        if isinstance(raw, Mapping):
            numbers.update(
                v
                for k in ("record_no", "cancels", "corrects")
                if is_storable_number(v := raw.get(k))
            )
    return numbers


class PagePlanner:
    def __init__(self, hasher: PinHasher, topic: str) -> None:
        self._hasher = hasher
        self._topic = topic

    @property
    def topic(self) -> str:
        return self._topic

    def plan(self, page: Page, after: int, known: Mapping[str, Seen], at: datetime) -> PagePlan:
        """What the page becomes, given what is known of the numbers it mentions."""
        work = _PageWork(self._hasher, self._topic, dict(known), at)
        work.plan.cursor = _next_cursor(page, after)
        for raw in page.records:
            work.take(raw)
        return work.plan


class _PageWork:
    """The planning of one page: the memory grows record by record, in feed order."""

    def __init__(self, hasher: PinHasher, topic: str, memory: dict[str, Seen], at: datetime):
        self._hasher, self._topic, self._memory, self._at = hasher, topic, memory, at
        self.plan = PagePlan()

    def take(self, raw: object) -> None:
        number, digest = _record_no(raw), content_hash(raw)
        prior = (self._memory.get(number) if number else None) or Seen()
        if digest == prior.published_hash or digest in prior.rejected:
            self.plan.redelivered += 1
            return
        read: QuickRead | ReadRecord | None = quick_read(raw)
        if read is None:
            try:
                read = read_record(raw)
            except Malformed as exc:
                self._reject(raw, number, digest, exc.defect, prior)
                return
        if prior.published_hash is not None:
            self._reject(raw, number, digest, CONFLICT, prior)
            return
        self._publish(read, digest, prior)

    def _publish(self, read: QuickRead | ReadRecord, digest: str, prior: Seen) -> None:
        subject = self._subject(read)
        self.plan.messages.append(read.message(self._topic, CE_SOURCE, subject))
        self.plan.published += 1
        self._note(read.record_no, Seen(digest, subject, prior.rejected))

    def _subject(self, read: QuickRead | ReadRecord) -> str:
        if read.subject_pin is not None:
            return self._hasher.digest(read.subject_pin)
        assert read.refers_to is not None
        referred = self._memory.get(read.refers_to)
        if referred is not None and referred.subject is not None:
            return referred.subject
        return self._hasher.digest(read.refers_to)

    def _reject(
        self, raw: object, number: str | None, digest: str, defect: Defect, prior: Seen
    ) -> None:
        where = {"record_no": number or "", "seq": str(_seq(raw) or "")}
        origin = Origin(SOURCE, self._topic, where)
        value = raw_json(raw)
        identity = (number or "-", digest)
        self.plan.messages.append(quarantine_message(origin, value, defect, identity, self._at))
        self.plan.quarantined += 1
        if number:
            self._note(number, prior.rejecting(digest))

    def _note(self, number: str, seen: Seen) -> None:
        self._memory[number] = seen
        self.plan.remember[number] = seen


def _record_no(raw: object) -> str | None:
    number = raw.get("record_no") if isinstance(raw, Mapping) else None
    return number if is_storable_number(number) else None


def _seq(raw: object) -> int | None:
    seq: Any = raw.get("seq") if isinstance(raw, Mapping) else None
    readable = isinstance(seq, int) and not isinstance(seq, bool) and 0 <= seq <= MAX_SEQ
    return seq if readable else None


def _next_cursor(page: Page, after: int) -> int:
    """The highest ``seq`` of the page; ``last_seq`` only if no record has a readable one."""
    seqs = [s for raw in page.records if (s := _seq(raw)) is not None]
    if not seqs and page.records:
        return max(after, page.last_seq)
    return max([after, *seqs])
