"""Which case an event touches: the benefit and its subject (child PIN, certificate no,
deceased PIN). Case ids for the outside world are made from these by ``decision_ids``."""

from __future__ import annotations

from typing import Literal, NamedTuple


class CaseKey(NamedTuple):
    benefit: Literal["B1", "B2", "B3"]
    subject: str
