"""What JSON allows but no registry record can be: checked before a record's fields are read.

- a string (a key or a value) holding NUL or an unpaired surrogate: neither UTF-8 nor
  PostgreSQL can hold it, so it would fail later, in a loop, far from here;
- nesting deeper than :data:`MAX_DEPTH` (a record is two levels deep);
- a record longer than :data:`MAX_RECORD_BYTES` once encoded (a record is a few hundred
  bytes; Kafka refuses messages above a megabyte).

Such a record is quarantined like any malformed one. :func:`raw_json` is the record as
the registry sent it, for the dead letter, even when it holds an unpaired surrogate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, TypeGuard

from benefits_shared.db.unstorable import UNSTORABLE

from registry_connectors.quarantine import Defect
from registry_connectors.raw_fields import Malformed

MAX_DEPTH = 8
MAX_RECORD_BYTES = 32 * 1024
#: ``record_no`` is a key of the connector's table (``String(64)``).
MAX_RECORD_NO = 64
_NAME = re.compile(r"[A-Za-z_]{1,40}")
TOO_DEEP = Defect("too_deep", f"the record is nested deeper than {MAX_DEPTH} levels")
TOO_LARGE = Defect("too_large", f"the record is larger than {MAX_RECORD_BYTES} bytes")


def check_record(raw: Mapping[str, Any]) -> None:
    """:class:`Malformed` if the record could never be stored or sent as an event.

    Almost every record is fine: one walk without paths says so and bounds its encoded
    size from above (so that it is not encoded only to be measured). Only a record that
    fails is walked again, naming the field, or encoded to measure it exactly."""
    bound = encoded_size_bound(raw, 1)
    if bound is None:
        _check(raw, "", 1)  # raises, naming what is wrong
    surely_small = bound is not None and bound <= MAX_RECORD_BYTES
    if not surely_small and len(raw_json(raw)) > MAX_RECORD_BYTES:
        raise Malformed(TOO_LARGE)


#: What one character can take once in JSON text, UTF-8: ``\u001f`` for a control one.
_MOST_PER_CHARACTER = 6


def encoded_size_bound(value: object, depth: int) -> int | None:
    """At least as many bytes as ``raw_json(value)`` takes; None if ``value`` nests
    deeper than :data:`MAX_DEPTH` or holds a string that cannot be stored. (The strings
    are gathered and searched once, and concrete types come first: a parsed record is
    dicts, lists, strings and numbers, and a search or an ``ABC`` check per value would
    cost more than the rest of the walk.)"""
    texts: list[str] = []
    bound = _bound(value, depth, texts)
    return None if bound is None or UNSTORABLE.search("".join(texts)) else bound


def _bound(value: object, depth: int, texts: list[str]) -> int | None:
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, str):
        texts.append(value)
        return _MOST_PER_CHARACTER * len(value) + 2
    if value is None or isinstance(value, int | float):  # before the Mapping ABC: cheaper
        return len(str(value)) + 8  # a number, true, false or null
    if isinstance(value, dict | Mapping):
        return _mapping_bound(value, depth, texts)
    if isinstance(value, list):
        total = 2 + len(value)
        for item in value:
            size = _bound(item, depth + 1, texts)
            if size is None:
                return None
            total += size
        return total
    return len(str(value)) + 8


def _mapping_bound(value: Mapping[object, object], depth: int, texts: list[str]) -> int | None:
    total = 2 + len(value)
    for key, item in value.items():
        name = key if type(key) is str else str(key)
        texts.append(name)
        if type(item) is str and depth < MAX_DEPTH:  # the most common: inline
            texts.append(item)
            size: int | None = _MOST_PER_CHARACTER * len(item) + 2
        else:
            size = _bound(item, depth + 1, texts)
        if size is None:
            return None
        total += size + _MOST_PER_CHARACTER * len(name) + 3
    return total


def _check(value: object, where: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise Malformed(TOO_DEEP)
    if isinstance(value, str) and UNSTORABLE.search(value):
        raise Malformed(unstorable(where or "the record"))
    if isinstance(value, list):
        for item in value:
            _check(item, where, depth + 1)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if UNSTORABLE.search(str(key)):
                raise Malformed(unstorable("a field name"))
            _check(item, _path(where, str(key)), depth + 1)


def unstorable(field: str) -> Defect:
    return Defect("unstorable_text", f"{field} holds NUL or an unpaired surrogate")


def _path(where: str, key: str) -> str:
    """The field's path, naming only fields that look like field names (never a value)."""
    name = key if _NAME.fullmatch(key) else "?"
    return f"{where}.{name}" if where else name


def is_storable_number(value: object) -> TypeGuard[str]:
    """A record number the connector can remember (and name in a dead letter's header)."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_RECORD_NO
        and value.isprintable()
        and not UNSTORABLE.search(value)
    )


def raw_json(raw: object) -> bytes:
    """The record as JSON, UTF-8; ASCII-escaped when it holds an unpaired surrogate."""
    try:
        return json.dumps(raw, ensure_ascii=False, separators=(",", ":")).encode()
    except UnicodeEncodeError:
        return json.dumps(raw, separators=(",", ":")).encode()
