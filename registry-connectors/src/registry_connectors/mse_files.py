"""An MSE commission file: its name, its lines, and what it becomes.

Only ``mse_YYYYMMDD.csv`` and ``mse_YYYYMMDD_N.csv`` (a later, corrected upload of the same
day) are files of the commission; anything else in the folder (a temp file being written,
a hidden file) is not ours to read. A file is UTF-8 with a byte-order mark, ``;``-separated,
CRLF line ends (a bare LF is read too), a header row, and may hold only its header.

A file's rows become events; a row whose event was already published for that day (the
first upload, or a row repeated in ``_2``) is not sent again; a bad row is quarantined
with the file name, its line number and the reason, and the rest of the file goes on.
A line the ``csv`` module cannot split (an endless quoted field) is such a bad row. A file
larger than the planner's limit is not read at all: it is quarantined whole, once (its
first bytes in the dead letter), and the commission must send it again in smaller parts.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator, Set
from dataclasses import dataclass, field
from datetime import date, datetime, time

from benefits_shared.clock import BAKU
from benefits_shared.pin import PinHasher

from registry_connectors.mse_rows import HEADER, Certificate, read_row
from registry_connectors.outgoing import Outgoing, event_message
from registry_connectors.quarantine import Defect, Origin, quarantine_message
from registry_connectors.raw_fields import Malformed

SOURCE = "mse-drop"
CE_SOURCE = "/registry-connectors/mse-drop"
_NAME = re.compile(r"mse_([0-9]{4})([0-9]{2})([0-9]{2})(?:_([0-9]{1,6}))?\.csv")
NOT_UTF8 = Defect("not_utf8", "the line is not UTF-8")
BAD_HEADER = Defect("bad_header", "the file's header row is not the commission's")
UNSPLITTABLE = Defect("unreadable_row", "the line cannot be split into ;-separated fields")
DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True, order=True)
class DropName:
    """``mse_20260302_2.csv`` → day 2026-03-02, version 2 (the first upload is 1)."""

    day: date
    version: int
    name: str


def drop_name(name: str) -> DropName | None:
    """The commission's file name read, or None for anything else (temp files included)."""
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    year, month, day, version = match.groups()
    try:
        return DropName(date(int(year), int(month), int(day)), int(version or 1), name)
    except ValueError:
        return None


def content_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    raw: bytes
    text: str | None  # None: not UTF-8


def lines(content: bytes) -> Iterator[Line]:
    """Numbered lines (1 is the header), without line ends or BOM; blank lines skipped."""
    for index, raw in enumerate(content.split(b"\n"), start=1):
        raw = raw.removesuffix(b"\r")
        if index == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        try:
            yield Line(index, raw, raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield Line(index, raw, None)


def split_fields(text: str) -> list[str]:
    """The fields of one line; :class:`Malformed` if ``csv`` cannot split it."""
    try:
        return next(csv.reader([text], delimiter=";"))
    except csv.Error:
        raise Malformed(UNSPLITTABLE) from None


@dataclass(slots=True)
class FilePlan:
    messages: list[Outgoing] = field(default_factory=list)
    published_ids: list[str] = field(default_factory=list)
    rows: int = 0
    already_published: int = 0
    quarantined: int = 0


class FilePlanner:
    def __init__(
        self, hasher: PinHasher, topic: str, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    ) -> None:
        self._hasher = hasher
        self._topic = topic
        self._max_file_bytes = max_file_bytes

    @property
    def topic(self) -> str:
        return self._topic

    def plan(
        self, drop: DropName, content: bytes, published_that_day: Set[str], at: datetime
    ) -> FilePlan:
        plan = FilePlan()
        if len(content) > self._max_file_bytes:
            defect = Defect("file_too_large", f"the file is over {self._max_file_bytes} bytes")
            self._quarantine(drop, Line(0, content, None), defect, plan, at)
            return plan
        seen = set(published_that_day)
        all_lines = list(lines(content))
        header_ok = bool(all_lines) and _is_header(all_lines[0])
        for line in all_lines[1:] if header_ok else all_lines:
            plan.rows += 1
            self._row(drop, line, BAD_HEADER if not header_ok else None, seen, plan, at)
        return plan

    def _row(
        self,
        drop: DropName,
        line: Line,
        defect: Defect | None,
        seen: set[str],
        plan: FilePlan,
        at: datetime,
    ) -> None:
        try:
            if defect is not None:
                raise Malformed(defect)
            if line.text is None:
                raise Malformed(NOT_UTF8)
            certificate = read_row(split_fields(line.text), drop.name, line.number)
        except Malformed as exc:
            self._quarantine(drop, line, exc.defect, plan, at)
            return
        message = event_message(
            self._topic, certificate, CE_SOURCE, _ce_time(certificate), self._subject(certificate)
        )
        if message.id in seen:
            plan.already_published += 1
            return
        seen.add(message.id)
        plan.messages.append(message)
        plan.published_ids.append(message.id)

    def _subject(self, certificate: Certificate) -> str:
        return self._hasher.digest(certificate.pin)

    def _quarantine(
        self, drop: DropName, line: Line, defect: Defect, plan: FilePlan, at: datetime
    ) -> None:
        origin = Origin(SOURCE, self._topic, {"file": drop.name, "line": str(line.number)})
        identity = (drop.name, str(line.number), content_hash(line.raw))
        plan.messages.append(quarantine_message(origin, line.raw, defect, identity, at))
        plan.quarantined += 1


def _is_header(line: Line) -> bool:
    if line.text is None:
        return False
    try:
        return tuple(f.strip().lower() for f in split_fields(line.text)) == HEADER
    except Malformed:
        return False


def _ce_time(certificate: Certificate) -> datetime:
    return datetime.combine(certificate.issued_at, time(), BAKU)
