"""Reads runs from the ops projection: the commands sent and the engine's replies.

Both topics are projected like every other (``events``, by area): a run is its command's
row (what was asked, by whom) and the ``replay-progressed`` rows of its id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from benefits_shared.contracts.ops import ReplayCases, ReplayProgressed, RunShadow
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from benefits_ops.adapters.tables import OpsTables
from benefits_ops.replay.run_view import RunView, fold

RUN_TYPES = (ReplayCases.type_name(), RunShadow.type_name())


@dataclass(frozen=True, slots=True)
class RunSummary:
    """A run in the list: what was asked, and how far it is."""

    command_id: str
    asked_at: datetime | None
    requested_by: str
    reason: str
    kind: str
    view: RunView


class RunReader:
    def __init__(self, tables: OpsTables) -> None:
        self._events = tables.events

    async def run(self, s: AsyncSession, command_id: str) -> RunView:
        e = self._events
        query = select(e.c.payload).where(
            e.c.kind == "ops-replies",
            e.c.ce_type == ReplayProgressed.type_name(),
            e.c.payload["command_id"].astext == command_id,
        )
        return fold(command_id, [row[0] for row in await s.execute(query)])

    async def command(self, s: AsyncSession, command_id: str) -> dict[str, Any] | None:
        """The command as projected (a PIN in it is a keyed hash), if it was seen."""
        e = self._events
        query = (
            select(e.c.payload)
            .where(e.c.kind == "ops-commands", e.c.payload["command_id"].astext == command_id)
            .limit(1)
        )
        found = (await s.execute(query)).scalar()
        return dict(found) if isinstance(found, dict) else None

    async def recent(self, s: AsyncSession, limit: int = 50) -> list[RunSummary]:
        e = self._events
        query = (
            select(e.c.payload, e.c.ce_time, e.c.ce_type)
            .where(e.c.kind == "ops-commands", e.c.ce_type.in_(RUN_TYPES))
            .order_by(e.c.ce_time.desc(), e.c.id.desc())
            .limit(limit)
        )
        out = []
        for payload, at, ce_type in (await s.execute(query)).all():
            command_id = str(payload.get("command_id", ""))
            out.append(_summary(payload, at, ce_type, await self.run(s, command_id)))
        return out


def _summary(
    payload: dict[str, Any], at: datetime | None, ce_type: str, view: RunView
) -> RunSummary:
    kind = "shadow" if ce_type == RunShadow.type_name() else str(payload.get("mode", "dry_run"))
    return RunSummary(
        str(payload.get("command_id", "")),
        at,
        str(payload.get("requested_by", "")),
        str(payload.get("reason", "")),
        kind,
        view,
    )
