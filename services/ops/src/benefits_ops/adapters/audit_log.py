"""The append-only audit log: this class only inserts and reads (a trigger refuses the rest)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from benefits_ops.access import Caller
from benefits_ops.adapters.tables import OpsTables


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    role: str
    action: str
    target: str
    reason: str | None
    details: dict[str, Any]


class AuditLog:
    def __init__(self, tables: OpsTables) -> None:
        self._t = tables.audit_log

    async def write(
        self,
        s: AsyncSession,
        caller: Caller,
        action: str,
        target: str,
        reason: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        """One entry, in the caller's transaction: the action and its record commit together."""
        await s.execute(
            insert(self._t).values(
                actor=caller.actor,
                role=caller.role.value,
                action=action,
                target=target,
                reason=reason,
                details=details or {},
            )
        )

    async def latest(
        self, s: AsyncSession, limit: int = 200, before: int | None = None
    ) -> list[AuditEntry]:
        query = select(self._t).order_by(self._t.c.id.desc()).limit(limit)
        if before is not None:
            query = query.where(self._t.c.id < before)
        return [
            AuditEntry(r.id, r.at, r.actor, r.role, r.action, r.target, r.reason, r.details)
            for r in await s.execute(query)
        ]
