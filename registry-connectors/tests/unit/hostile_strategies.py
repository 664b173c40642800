"""Hypothesis strategies of what a registry can send that it should not (ADR 0017)."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

#: Characters that break things downstream: NUL (PostgreSQL), unpaired surrogates (UTF-8),
#: a right-to-left override, Azerbaijani letters, a BOM, separators and quotes.
NASTY_CHARACTERS = ["\x00", "\ud800", "\udfff", "\u202e", "ə", "İ", "\ufeff", ";", '"', "\r", "\n"]
texts = st.text(st.one_of(st.characters(), st.sampled_from(NASTY_CHARACTERS)), max_size=16)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
    st.sampled_from(["2026-02-31", "2026-03-01", "31.02.2026", "7KQ2M9A", "7kq2m9a", "", " "]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)


def deep(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"changes": value}
    return value


@st.composite
def damaged(draw: st.DrawFn, record: dict[str, Any]) -> Any:
    """``record`` with some of its fields (nested ones too) replaced, removed or added."""
    damaged_record = copy.deepcopy(record)
    for _ in range(draw(st.integers(1, 3))):
        target = damaged_record
        if isinstance(target.get("child"), dict) and draw(st.booleans()):
            target = target["child"]
        key = draw(st.sampled_from(sorted(target)) | texts)
        action = draw(st.sampled_from(["replace", "remove", "long", "deep"]))
        if action == "remove":
            target.pop(key, None)
        elif action == "long":
            target[key] = draw(st.sampled_from(["x", "7KQ2M9A", "ə"])) * draw(
                st.sampled_from([65, 3_000])
            )
        elif action == "deep":
            target[key] = deep(draw(st.integers(5, 40)))
        else:
            target[key] = draw(json_values)
    return damaged_record


def as_json_bytes(value: Any) -> bytes:
    """What the registry would put on the wire (an unpaired surrogate ASCII-escaped)."""
    return json.dumps(value).encode()
