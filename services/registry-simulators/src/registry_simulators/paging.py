"""The paging rules of the registries' HTTP APIs (registries.md), as pure functions.

- ``limit`` is 1 to 1000 (default 100); anything else is a bad request.
- ``after`` is a ``seq`` (change feeds; default 0, from the start) or a PIN (the person
  listing; default empty, from the first PIN).
- ``last_seq`` is the ``seq`` of the last record on the page, or ``after`` itself when the
  page is empty, so a client can always ask for ``after=last_seq`` next. The person listing
  answers ``{"persons": [...], "last_pin": P}`` by the same rule (registries.md names no key
  for it; this is the simulator's choice).
- A page is built from the records' own JSON text, byte for byte as the files hold it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from registry_simulators.errors import BadRequest

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100


def page_limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadRequest(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def after_seq(raw: str | None) -> int:
    if raw is None:
        return 0
    if not raw.isdigit():
        raise BadRequest("after must be a seq: a whole number, 0 for the start")
    return int(raw)


def feed_page(key: str, records: Sequence[tuple[int, bytes]], after: int) -> bytes:
    """``{"<key>": [...], "last_seq": S}`` from ``(seq, json)`` pairs in ascending ``seq``."""
    last = records[-1][0] if records else after
    return _page(key, [text for _, text in records], "last_seq", str(last).encode())


def listing_page(persons: Sequence[tuple[str, bytes]], after: str) -> bytes:
    last = persons[-1][0] if persons else after
    return _page("persons", [text for _, text in persons], "last_pin", _json_string(last))


def _page(key: str, items: list[bytes], last_key: str, last: bytes) -> bytes:
    return b'{"%s": [%s], "%s": %s}' % (key.encode(), b", ".join(items), last_key.encode(), last)


def json_list(texts: Sequence[str]) -> bytes:
    return json.dumps(list(texts), ensure_ascii=False).encode()


def _json_string(text: str) -> bytes:
    return json.dumps(text, ensure_ascii=False).encode()
