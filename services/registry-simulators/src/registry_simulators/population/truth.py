"""``truth.jsonl``: what each written record and row is, so tests can check the connectors.

One line per civil record (``valid``, ``defect``, ``redelivery_of``), per MSE row (by file
and line number; the header is line 1) and per MSE file. The counts go into the manifest.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO


def json_line(value: Any) -> str:
    """The one way every output file writes a JSON line: UTF-8 text, default separators."""
    return json.dumps(value, ensure_ascii=False) + "\n"


class Truth:
    def __init__(self, out: TextIO) -> None:
        self._out = out
        self.counts: Counter[str] = Counter()

    def civil(self, record: dict[str, Any], defect: str | None, redelivery_of: int | None) -> None:
        kind = record.get("kind", "?")
        self.counts[f"civil.{'redelivered' if redelivery_of else 'records'}"] += 1
        self.counts[f"civil.{kind}.{'malformed' if defect else 'valid'}"] += 1
        self._write(
            source="civil",
            seq=record["seq"],
            record_no=record["record_no"],
            kind=kind,
            valid=defect is None,
            defect=defect,
            redelivery_of=redelivery_of,
        )

    def mse_row(self, file: str, line: int, row: dict[str, Any], defect: str | None) -> None:
        self.counts[f"mse.rows.{'malformed' if defect else 'valid'}"] += 1
        self._write(
            source="mse",
            file=file,
            line=line,
            certificate_no=row["certificate_no"],
            decision=row["decision"],
            valid=defect is None,
            defect=defect,
        )

    def mse_file(self, file: str, version: int, rows: int) -> None:
        self.counts["mse.files"] += 1
        self.counts["mse.files.header_only"] += rows == 0
        self._write(source="mse_file", file=file, version=version, rows=rows)

    def count(self, name: str) -> None:
        self.counts[name] += 1

    def _write(self, **fields: Any) -> None:
        self._out.write(json_line(fields))
