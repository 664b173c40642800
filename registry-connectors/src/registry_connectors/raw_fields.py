"""Reading one field of a registry's JSON strictly, or saying exactly what is wrong with it.

A registry record is a JSON object we do not trust. :class:`RawFields` reads its fields one
by one and raises :class:`Malformed` with a :class:`~registry_connectors.quarantine.Defect`
that names the field (``child.pin``) and the defect, never the value.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any

from benefits_shared.pin import is_pin

from registry_connectors.quarantine import Defect, bad_pin, bad_value, impossible_date, missing

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: The largest sequence number PostgreSQL's ``bigint`` holds (the connectors' cursors).
MAX_SEQ = 2**63 - 1


class Malformed(Exception):
    """A record that cannot become an event; ``defect`` says why."""

    def __init__(self, defect: Defect) -> None:
        super().__init__(defect.reason)
        self.defect = defect


def iso_day(text: str, field: str) -> date:
    """``YYYY-MM-DD`` that exists in the calendar."""
    if not _ISO_DATE.fullmatch(text):
        raise Malformed(bad_value(field, "a date as YYYY-MM-DD"))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Malformed(impossible_date(field)) from None


class RawFields:
    def __init__(self, raw: Mapping[str, Any], prefix: str = "") -> None:
        self._raw = raw
        self._prefix = prefix

    def _name(self, name: str) -> str:
        return f"{self._prefix}{name}"

    def _present(self, name: str) -> Any:
        value = self._raw.get(name)
        if value is None or value == "":
            raise Malformed(missing(self._name(name)))
        return value

    def has(self, name: str) -> bool:
        return self._raw.get(name) not in (None, "")

    def text(self, name: str) -> str:
        value = self._present(name)
        if not isinstance(value, str):
            raise Malformed(bad_value(self._name(name), "a string"))
        return value

    def optional_text(self, name: str) -> str | None:
        return self.text(name) if self.has(name) else None

    def choice(self, name: str, allowed: Collection[str]) -> str:
        value = self.text(name)
        if value not in allowed:
            raise Malformed(bad_value(self._name(name), "one of " + ", ".join(sorted(allowed))))
        return value

    def pin(self, name: str) -> str:
        value = self._present(name)
        if not is_pin(value):
            raise Malformed(bad_pin(self._name(name)))
        return str(value)

    def optional_pin(self, name: str) -> str | None:
        return self.pin(name) if self.has(name) else None

    def day(self, name: str) -> date:
        return iso_day(self.text(name), self._name(name))

    def optional_day(self, name: str) -> date | None:
        return self.day(name) if self.has(name) else None

    def instant(self, name: str) -> datetime:
        """An ISO 8601 date-time with its offset (a naive one is ambiguous: refused)."""
        text, field = self.text(name), self._name(name)
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            iso_day(text[:10], field)  # raises impossible_date when the day does not exist
            raise Malformed(bad_value(field, "an ISO 8601 date-time")) from None
        if value.tzinfo is None:
            raise Malformed(bad_value(field, "a date-time with its UTC offset"))
        return value

    def whole_number(self, name: str) -> int:
        value = self._present(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_SEQ:
            raise Malformed(bad_value(self._name(name), "a whole number below 2**63"))
        return value

    def object(self, name: str) -> Mapping[str, Any]:
        value = self._present(name)
        if not isinstance(value, Mapping):
            raise Malformed(bad_value(self._name(name), "an object"))
        return value

    def nested(self, name: str) -> RawFields:
        return RawFields(self.object(name), f"{self._name(name)}.")
