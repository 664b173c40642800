"""The commission's file format, byte for byte.

UTF-8 with a byte-order mark, ``;`` between fields, CRLF at the end of every line, a header
row, dates as ``dd.mm.yyyy``, empty fields for what does not apply. Files are named
``mse_YYYYMMDD.csv``, then ``mse_YYYYMMDD_2.csv``, ``_3`` … for corrected uploads.
"""

from __future__ import annotations

from datetime import date
from typing import Any

BOM = "\ufeff"
HEADER = (
    "certificate_no", "pin", "decision", "group",
    "valid_from", "valid_until", "effective_from", "issued_at",
)  # fmt: skip


def dotted(iso: str | None) -> str:
    """``2026-03-01`` → ``01.03.2026``; nothing → an empty field."""
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


def row_fields(row: dict[str, Any]) -> list[str]:
    """A certificate row (ISO dates) as the commission writes it, in the header's order."""
    return [
        row["certificate_no"],
        row["pin"],
        row["decision"],
        row["group"],
        dotted(row["valid_from"]),
        dotted(row["valid_until"]),
        dotted(row["effective_from"]),
        dotted(row["issued_at"]),
    ]


def render(rows: list[list[str]]) -> bytes:
    lines = [";".join(HEADER), *(";".join(fields) for fields in rows)]
    return (BOM + "".join(line + "\r\n" for line in lines)).encode("utf-8")


def file_name(day: date, version: int = 1) -> str:
    suffix = "" if version == 1 else f"_{version}"
    return f"mse_{day:%Y%m%d}{suffix}.csv"
