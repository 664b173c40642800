"""The civil registry's change feed, numbered in time order, with its real-world mess.

Records get their ``record_no`` (``B-2026-0001234``: kind letter, year of registration,
a counter per kind and year) and a ``seq`` that grows but sometimes jumps. A cancellation
or correction names the number of the record it refers to. Some records are damaged, and
some are delivered again later (same ``record_no``, same content, a later ``seq``).
"""

from __future__ import annotations

import heapq
import random
from collections import Counter
from typing import Any, TextIO

from registry_simulators.population.malformation import damage_record
from registry_simulators.population.options import Messiness
from registry_simulators.population.truth import Truth, json_line

LETTERS = {"BIRTH": "B", "DEATH": "D", "CANCELLATION": "K", "CORRECTION": "X"}
_REFERENCE_FIELDS = ("cancels", "corrects")
_REDELIVERY_DELAY = (1, 500)  # records later


class CivilFeed:
    def __init__(self, out: TextIO, truth: Truth, mess: Messiness, rng: random.Random) -> None:
        self._out = out
        self._truth = truth
        self._mess = mess
        self._rng = rng
        self._seq = 0
        self._published = 0
        self._numbers: Counter[tuple[str, str]] = Counter()
        self._refs: dict[str, str] = {}
        self._again: list[tuple[int, int, dict[str, Any], str | None, int]] = []

    def add(self, body: dict[str, Any]) -> None:
        record = self._numbered(body)
        defect = None
        if self._rng.random() < self._mess.malformed_rate:
            record, defect = damage_record(self._rng, record)
        self._publish(record, defect, None)

    def close(self) -> None:
        while self._again:
            _, _, record, defect, first_seq = heapq.heappop(self._again)
            self._publish(record, defect, first_seq)

    def _numbered(self, body: dict[str, Any]) -> dict[str, Any]:
        kind = body["kind"]
        key = (LETTERS[kind], body["registered_at"][:4])
        self._numbers[key] += 1
        record_no = f"{key[0]}-{key[1]}-{self._numbers[key]:07d}"
        if "ref" in body:
            self._refs[body["ref"]] = record_no
        record = {"record_no": record_no}
        record.update((k, v) for k, v in body.items() if k not in ("ref", "target"))
        for field in _REFERENCE_FIELDS:
            if field in record:
                record[field] = self._refs[body["target"]]
        return record

    def _publish(self, record: dict[str, Any], defect: str | None, again_of: int | None) -> None:
        if again_of is None:
            self._release_due()
        step = 1
        if self._rng.random() < self._mess.seq_gap_rate:
            step = self._rng.randint(2, 50)
            self._truth.count("civil.seq_gaps")
        self._seq += step
        self._published += 1
        numbered = {"seq": self._seq, **record}
        self._out.write(json_line(numbered))
        self._truth.civil(numbered, defect, again_of)
        if again_of is None and self._rng.random() < self._mess.redelivery_rate:
            due = self._published + self._rng.randint(*_REDELIVERY_DELAY)
            heapq.heappush(self._again, (due, self._seq, record, defect, self._seq))

    def _release_due(self) -> None:
        while self._again and self._again[0][0] <= self._published:
            _, _, record, defect, first_seq = heapq.heappop(self._again)
            self._publish(record, defect, first_seq)
