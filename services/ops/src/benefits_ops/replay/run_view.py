"""A run as ops see it, folded from the replies the engine published (pure).

Replies come numbered (``seq``) and may be read more than once or out of order; the
view takes each number once, in order. The differences of every slice add up to the run's
diff; the last reply says how it ended. A finished dry run with no difference is the
answer "no change" — unless it selected no case at all: that is "nothing selected" (a
selection that missed, not a reassurance), whatever the mode.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from benefits_shared.contracts.ops import CaseDifference, ReplayProgressed
from pydantic import BaseModel

FINAL = frozenset({"completed", "cancelled", "failed"})
NOTHING_SELECTED = "nothing selected"


class RunView(BaseModel):
    command_id: str
    mode: str | None = None
    state: str = "sent"
    selection: str | None = None
    cases_total: int = 0
    cases_done: int = 0
    changed: int = 0
    delta: Decimal = Decimal("0.00")
    published: int = 0
    horizon: date | None = None
    error: str | None = None
    differences: list[CaseDifference] = []

    @property
    def finished(self) -> bool:
        return self.state in FINAL

    @property
    def percent(self) -> int:
        if self.finished and self.state == "completed":
            return 100
        return int(100 * self.cases_done / self.cases_total) if self.cases_total else 0

    @property
    def verdict(self) -> str:
        """In words: what the run found (or that it has not finished)."""
        if not self.finished:
            return "running" if self.state != "sent" else "waiting for the engine"
        if self.state != "completed":
            return self.state
        if self.cases_total == 0:
            return NOTHING_SELECTED
        if self.mode == "apply":
            return f"{self.published} decisions published"
        return "no change" if self.changed == 0 else f"{self.changed} decisions would change"


def fold(command_id: str, replies: Iterable[Mapping[str, Any]]) -> RunView:
    """The run of ``command_id`` from its replies (payloads of ``replay-progressed``)."""
    by_seq: dict[int, ReplayProgressed] = {}
    for payload in replies:
        reply = ReplayProgressed.model_validate(payload)
        if reply.command_id == command_id:
            by_seq.setdefault(reply.seq, reply)
    view = RunView(command_id=command_id)
    for seq in sorted(by_seq):
        reply = by_seq[seq]
        view.differences.extend(reply.differences)
        view.mode, view.state, view.selection = reply.mode, reply.state, reply.selection
        view.cases_total, view.cases_done = reply.cases_total, reply.cases_done
        view.changed, view.delta = reply.changed_so_far, reply.delta_so_far
        view.published, view.horizon, view.error = reply.published, reply.horizon, reply.error
    return view
