"""The engine's side of ops commands (ADR 12): replays, shadow runs, cancellations.

``OpsCommandHandler`` is the handler of a consumer loop on ``ops-commands`` with a group
of its own: it records each replay or shadow run once (a re-delivered command is a no-op),
marks a cancellation, ignores every other type, and wakes the runner. It never runs a
command itself, so a cancellation is read while a replay works.

``ReplayRunner`` works through the recorded commands one at a time (one runner across
replicas: a PostgreSQL advisory lock): it resolves the selection to cases, then decides
them a slice at a time, each slice in one transaction with its progress and its reply on
``ops-replies`` (via the outbox). A dry run and a shadow run write nothing else; an
applied slice stores and queues only the decisions that differ, holding the decide lock
so no handler batch decides the same case meanwhile. A cancel stops it before the next
slice. Killed, it resumes after the last slice committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from benefits_shared.clock import baku_date
from benefits_shared.contracts import REGISTRY
from benefits_shared.contracts.ops import (
    CancelCommand,
    CaseDifference,
    ReplayCases,
    ReplayMode,
    ReplayProgressed,
    RunShadow,
    RunState,
)
from benefits_shared.db.leadership import Leadership
from benefits_shared.kafka.consumer_loop import Delivery
from benefits_shared.outages import OUTAGES, POSTGRESQL, dependency_of, is_transient
from benefits_shared.service_runtime import Received
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from eligibility_engine.adapters.case_redecider import CaseRedecider
from eligibility_engine.adapters.decide_lock import DecideLock
from eligibility_engine.adapters.ops_command_store import CommandRow, OpsCommandStore, counted
from eligibility_engine.adapters.parameter_upload import with_uploaded
from eligibility_engine.adapters.replay_selection import ReplaySelector
from eligibility_engine.errors import PermanentError
from eligibility_engine.parameters import Parameters

log = logging.getLogger(__name__)

#: Cases decided per transaction (and per reply) of a run.
SLICE = 500
IDLE_SECONDS = 1.0

Run = ReplayCases | RunShadow


class OpsCommandHandler:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        store: OpsCommandStore,
        wake: asyncio.Event,
    ) -> None:
        self._sessions = sessions
        self._store = store
        self._wake = wake

    async def handle(self, batch: Sequence[Delivery[Received]]) -> None:
        async with self._sessions.begin() as s:
            for delivery in batch:
                command = delivery.message.payload
                if isinstance(command, ReplayCases | RunShadow):
                    await self._store.accept(s, command)
                elif isinstance(command, CancelCommand):
                    await self._store.request_cancel(s, command.target_command_id)
        self._wake.set()


class ReplayRunner:
    def __init__(
        self,
        engine: AsyncEngine,
        sessions: async_sessionmaker[AsyncSession],
        store: OpsCommandStore,
        parts: tuple[ReplaySelector, CaseRedecider, DecideLock],
        parameters: tuple[Parameters, Path | None],
        wake: asyncio.Event,
    ) -> None:
        self._engine = engine
        self._sessions = sessions
        self._store = store
        self._selector, self._redecider, self._lock = parts
        self._parameters, self._parameters_dir = parameters
        self._wake = wake
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    async def run(self) -> None:
        """One runner among the engine's instances (``Leadership``: a lead lost with its
        PostgreSQL session is noticed and taken again); while PostgreSQL is away, the
        command waits and goes on from its last slice (ADR 0021)."""
        lead = Leadership(self._engine, f"{self._lock.schema}:ops-runner")
        try:
            while not self._stopping.is_set():
                worked = await self._step(lead)
                idle = IDLE_SECONDS if lead.holds else 5 * IDLE_SECONDS
                if not worked and await self._pause(idle):
                    return
        finally:
            with contextlib.suppress(Exception):  # PostgreSQL may be away: it frees it then
                await lead.release()

    async def _step(self, lead: Leadership) -> bool:
        try:
            worked = await lead.lead() and await self.run_next()
        except Exception as exc:
            if not is_transient(exc):
                raise
            OUTAGES.failed(dependency_of(exc, POSTGRESQL), exc)
            return False
        OUTAGES.answered(POSTGRESQL)
        return worked

    async def _pause(self, seconds: float) -> bool:
        """Wait for a new command or ``seconds``; True when stopping."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()
        return self._stopping.is_set()

    async def run_next(self) -> bool:
        """Run the oldest open command to its end; False if there is none."""
        async with self._sessions() as s:
            row = await self._store.next_open(s)
        if row is None:
            return False
        command = REGISTRY[row.type].model_validate(row.command)
        assert isinstance(command, ReplayCases | RunShadow)
        try:
            await self._work(row, command)
        except Exception as exc:
            if is_transient(exc):
                raise  # the same command again, from its last slice, after a pause
            # Never a reason to stop deciding: the run fails with its reason, for ops.
            log.exception("ops command failed", extra={"command_id": row.command_id})
            await self._fail(row.command_id, command, _why(exc))
        return True

    async def _fail(self, command_id: str, command: Run, why: str) -> None:
        async with self._sessions.begin() as s:
            row = await self._store.get(s, command_id)
            await self._finish(s, row, command, "failed", why)

    async def _work(self, row: CommandRow, command: Run) -> None:
        parameters = self._parameters
        if isinstance(command, RunShadow):
            parameters = with_uploaded(self._parameters_dir, command.parameter_files)
        if row.state == "accepted":
            if row.cancel_requested:  # cancelled before it started: nothing to resolve
                await self._end(row, command, "cancelled", None)
                return
            row = await self._start(row, command)
        horizon = date.fromisoformat(row.command["horizon"])
        apply = isinstance(command, ReplayCases) and command.mode == "apply"
        for start in range(row.cases_done, len(row.cases), SLICE):
            if self._stopping.is_set():
                return  # resumed from here by the next runner
            async with self._sessions.begin() as s:
                if await self._store.cancel_requested(s, row.command_id):
                    await self._finish(s, row, command, "cancelled", None)
                    return
                if apply:
                    await self._lock.exclusive(s)
                keys = row.cases[start : start + SLICE]
                done = await self._redecider.redecide(s, keys, parameters, horizon, apply)
                row = counted(row, start + len(keys), done.differences, done.published)
                reply = _progressed(row, command, "running", done.differences)
                row = await self._store.reply(s, row, reply)
        await self._end(row, command, "completed", None)

    async def _start(self, row: CommandRow, command: Run) -> CommandRow:
        async with self._sessions.begin() as s:
            cases = await self._selector.cases(s, command.selection)
            horizon = (
                command.horizon or await self._redecider.today(s) or baku_date(datetime.now(UTC))
            )
            fixed = {**row.command, "horizon": horizon.isoformat()}
            row = await self._store.start(s, row, cases, fixed)
            return await self._store.reply(s, row, _progressed(row, command, "started", ()))

    async def _end(self, row: CommandRow, command: Run, state: RunState, error: str | None) -> None:
        async with self._sessions.begin() as s:
            await self._finish(s, row, command, state, error)

    async def _finish(
        self, s: AsyncSession, row: CommandRow, command: Run, state: RunState, error: str | None
    ) -> None:
        ended = replace(row, state=state)
        await self._store.reply(s, ended, _progressed(ended, command, state, (), error), error)
        log.info("ops command ended", extra={"command_id": row.command_id, "state": state})


def _why(exc: Exception) -> str:
    """What a failed run tells ops: the engine's own errors say it in words."""
    if isinstance(exc, PermanentError | ValueError):
        return str(exc)
    return f"unexpected {type(exc).__name__}: {exc}"


def _mode(command: Run) -> ReplayMode:
    return "shadow" if isinstance(command, RunShadow) else command.mode


def _progressed(
    row: CommandRow,
    command: Run,
    state: RunState,
    differences: Sequence[CaseDifference],
    error: str | None = None,
) -> ReplayProgressed:
    horizon = row.command.get("horizon")
    return ReplayProgressed(
        command_id=row.command_id,
        seq=row.next_seq,
        mode=_mode(command),
        state=state,
        selection=command.selection.describe(),
        cases_total=len(row.cases),
        cases_done=row.cases_done,
        differences=tuple(differences),
        changed_so_far=row.changed,
        delta_so_far=row.delta,
        published=row.published,
        horizon=date.fromisoformat(horizon) if horizon else None,
        error=error,
    )
