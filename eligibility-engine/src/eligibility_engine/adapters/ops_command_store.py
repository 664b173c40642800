"""The engine's ops commands in PostgreSQL, and its replies queued in its outbox.

A command is accepted once (its id is the primary key: a re-delivered command is a
no-op); a cancellation only marks it. The runner claims one command at a time, fixes
the cases it covers, and records each slice's progress in the same transaction as the
slice's effects and its reply, so a run resumed after a crash neither skips nor repeats a
slice's reply (its id is the command and the reply's sequence number).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from benefits_shared.contracts.ops import CaseDifference, OpsCommand, ReplayProgressed
from benefits_shared.db.outbox import OutgoingEvent, add_to_outbox
from sqlalchemy import Table, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from eligibility_engine.case_keys import CaseKey

SOURCE = "/eligibility-engine"


@dataclass(frozen=True, slots=True)
class CommandRow:
    command_id: str
    type: str
    command: dict[str, Any]
    state: str
    cases: list[CaseKey]
    cases_done: int
    next_seq: int
    changed: int
    delta: Decimal
    published: int
    cancel_requested: bool

    @classmethod
    def of(cls, row: Any) -> CommandRow:
        cases = [CaseKey(b, s) for b, s in (row.cases or [])]
        return cls(
            row.command_id,
            row.type,
            row.command,
            row.state,
            cases,
            row.cases_done,
            row.next_seq,
            row.changed,
            Decimal(row.delta),
            row.published,
            row.cancel_requested,
        )


class OpsCommandStore:
    def __init__(self, commands: Table, outbox: Table, replies_topic: str) -> None:
        self._t = commands
        self._outbox = outbox
        self._topic = replies_topic

    async def accept(self, s: AsyncSession, command: OpsCommand) -> bool:
        """Record a command to run; False if it was recorded before."""
        values = {
            "command_id": command.command_id,
            "type": command.type_name(),
            "command": command.model_dump(mode="json"),
        }
        stmt = (
            insert(self._t).values(values).on_conflict_do_nothing().returning(self._t.c.command_id)
        )
        return (await s.execute(stmt)).first() is not None

    async def request_cancel(self, s: AsyncSession, command_id: str) -> None:
        t = self._t
        await s.execute(
            update(t)
            .where(t.c.command_id == command_id)
            .values(cancel_requested=True, updated_at=func.now())
        )

    async def next_open(self, s: AsyncSession) -> CommandRow | None:
        """The oldest command not finished, locked for the caller's transaction."""
        t = self._t
        query = (
            select(t)
            .where(t.c.state.in_(("accepted", "running")))
            .order_by(t.c.created_at, t.c.command_id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        row = (await s.execute(query)).first()
        return CommandRow.of(row) if row else None

    async def get(self, s: AsyncSession, command_id: str) -> CommandRow:
        """The command as stored now, locked for the caller's transaction."""
        t = self._t
        query = select(t).where(t.c.command_id == command_id).with_for_update()
        return CommandRow.of((await s.execute(query)).one())

    async def cancel_requested(self, s: AsyncSession, command_id: str) -> bool:
        t = self._t
        query = select(t.c.cancel_requested).where(t.c.command_id == command_id)
        return bool((await s.execute(query)).scalar())

    async def start(
        self, s: AsyncSession, row: CommandRow, cases: Sequence[CaseKey], command: dict[str, Any]
    ) -> CommandRow:
        """Fix the cases a command covers (and its horizon, in ``command``)."""
        t = self._t
        await s.execute(
            update(t)
            .where(t.c.command_id == row.command_id)
            .values(
                state="running",
                command=command,
                cases=[list(k) for k in cases],
                cases_total=len(cases),
                updated_at=func.now(),
            )
        )
        return replace(row, state="running", command=command, cases=list(cases))

    async def reply(
        self,
        s: AsyncSession,
        row: CommandRow,
        progressed: ReplayProgressed,
        error: str | None = None,
    ) -> CommandRow:
        """Save the command's progress and queue its reply (the ``next_seq``-th), in the
        caller's transaction; the row as it now stands."""
        event = progressed.to_cloudevent(SOURCE, datetime.now(UTC), None)
        key = row.command_id.encode()
        await add_to_outbox(s, self._outbox, [OutgoingEvent(self._topic, key, event)])
        moved = replace(row, next_seq=row.next_seq + 1)
        t = self._t
        await s.execute(
            update(t)
            .where(t.c.command_id == row.command_id)
            .values(
                state=moved.state,
                cases_done=moved.cases_done,
                next_seq=moved.next_seq,
                changed=moved.changed,
                delta=moved.delta,
                published=moved.published,
                error=error,
                updated_at=func.now(),
            )
        )
        return moved


def counted(
    row: CommandRow, done: int, found: Sequence[CaseDifference], published: int
) -> CommandRow:
    """The command after a slice: the cases done, the differences and money found so far."""
    return replace(
        row,
        cases_done=done,
        changed=row.changed + len(found),
        delta=row.delta + sum((d.delta for d in found), Decimal("0.00")),
        published=row.published + published,
    )
