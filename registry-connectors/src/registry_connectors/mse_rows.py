"""One row of an MSE commission file into ``CertificateIssued`` / ``CertificateRevoked``.

The row is the 8 columns of registries.md §2, dates as ``dd.mm.yyyy``. ``ISSUED`` needs a
group (``I``, ``II``, ``III``, ``CHILD``), ``valid_from`` and ``issued_at``, an empty
``valid_until`` being open-ended; ``REVOKED`` needs ``effective_from`` and ``issued_at``.
A field that does not apply to the decision is ignored, but if it is filled it must still
be well formed (a date that exists, a known group): a row with nonsense in it is not
trusted. Surrounding blanks of a field are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from benefits_shared.contracts.life_events import CertificateIssued, CertificateRevoked
from benefits_shared.pin import is_pin

from registry_connectors.quarantine import Defect, bad_pin, bad_value, impossible_date, missing
from registry_connectors.raw_fields import Malformed

HEADER = (
    "certificate_no", "pin", "decision", "group",
    "valid_from", "valid_until", "effective_from", "issued_at",
)  # fmt: skip
GROUPS = ("I", "II", "III", "CHILD")
_DOTTED = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")

Certificate = CertificateIssued | CertificateRevoked


def dotted_day(text: str, field: str) -> date:
    """``dd.mm.yyyy`` that exists in the calendar (``31.02.2026`` does not)."""
    match = _DOTTED.fullmatch(text)
    if match is None:
        raise Malformed(bad_value(field, "a date as dd.mm.yyyy"))
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise Malformed(impossible_date(field)) from None


class _Row:
    def __init__(self, fields: Sequence[str]) -> None:
        if len(fields) != len(HEADER):
            raise Malformed(
                Defect("column_count", f"{len(fields)} columns, expected {len(HEADER)}")
            )
        self._by_name = dict(zip(HEADER, (f.strip() for f in fields), strict=True))

    def text(self, name: str) -> str:
        value = self._by_name[name]
        if not value:
            raise Malformed(missing(name))
        return value

    def day(self, name: str) -> date:
        return dotted_day(self.text(name), name)

    def optional_day(self, name: str) -> date | None:
        return self.day(name) if self._by_name[name] else None

    def group(self) -> str | None:
        group = self._by_name["group"]
        if group and group not in GROUPS:
            raise Malformed(Defect("unknown_group", "group is not I, II, III or CHILD"))
        return group or None


def read_row(fields: Sequence[str], source_file: str, line: int) -> Certificate:
    """The event of one row; :class:`Malformed` with the defect otherwise."""
    row = _Row(fields)
    certificate_no, pin = row.text("certificate_no"), row.text("pin")
    if not is_pin(pin):
        raise Malformed(bad_pin("pin"))
    decision = row.text("decision")
    if decision not in ("ISSUED", "REVOKED"):
        raise Malformed(Defect("unknown_decision", "decision is not ISSUED or REVOKED"))
    group = row.group()
    valid_from, valid_until = row.optional_day("valid_from"), row.optional_day("valid_until")
    effective_from, issued_at = row.optional_day("effective_from"), row.day("issued_at")
    common = {"certificate_no": certificate_no, "pin": pin, "issued_at": issued_at}
    common |= {"source_file": source_file, "line": line}
    if decision == "REVOKED":
        if effective_from is None:
            raise Malformed(missing("effective_from"))
        return CertificateRevoked(**common, effective_from=effective_from)
    if group is None:
        raise Malformed(missing("group"))
    if valid_from is None:
        raise Malformed(missing("valid_from"))
    if valid_until is not None and valid_until < valid_from:
        raise Malformed(bad_value("valid_until", "on or after valid_from"))
    return CertificateIssued(**common, group=group, valid_from=valid_from, valid_until=valid_until)
