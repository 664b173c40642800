"""Certificate numbers, given in time order: ``MSE-26-004512`` (year of issue, counter).

A revocation names the number of the certificate it revokes. When that certificate was
issued before the period (so no file of ours holds it), it gets a number from the year
before the period, counting from 900001, which no certificate of the period can have.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

_OLD_FIRST = 900_000


class CertificateNumbers:
    def __init__(self, start: date) -> None:
        self._counters: Counter[str] = Counter()
        self._old_year = f"{(start.year - 1) % 100:02d}"
        self._old = _OLD_FIRST
        self._refs: dict[str, str] = {}

    def number(self, body: dict[str, Any]) -> dict[str, Any]:
        """The row with its ``certificate_no``; bookkeeping keys are dropped."""
        row = {k: v for k, v in body.items() if k not in ("ref", "target")}
        if body["decision"] == "ISSUED":
            year = body["issued_at"][2:4]
            self._counters[year] += 1
            row["certificate_no"] = f"MSE-{year}-{self._counters[year]:06d}"
            if body.get("ref"):
                self._refs[body["ref"]] = row["certificate_no"]
        else:
            row["certificate_no"] = self._refs.pop(body["target"], None) or self._old_number()
        return row

    def _old_number(self) -> str:
        self._old += 1
        return f"MSE-{self._old_year}-{self._old:06d}"
