"""The engine's ops-command bookkeeping on real PostgreSQL, in process: a command is
recorded once however often it comes, a cancel stops it, a selection the engine cannot
read fails it with its reason; each outcome is a numbered reply in the outbox."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

from benefits_shared.cloudevents import CloudEvent
from benefits_shared.contracts.ops import (
    CancelCommand,
    OpsCommand,
    ReplayCases,
    ReplaySelection,
    RetryNotice,
)
from benefits_shared.db.migrations import migrate
from benefits_shared.db.sessions import session_factory
from benefits_shared.kafka.consumer_loop import Delivery
from benefits_shared.service_runtime import Received
from eligibility_engine.adapters.case_redecider import CaseRedecider
from eligibility_engine.adapters.decide_lock import DecideLock
from eligibility_engine.adapters.ops_command_store import OpsCommandStore
from eligibility_engine.adapters.ops_command_tables import ops_commands_table
from eligibility_engine.adapters.replay_selection import ReplaySelector
from eligibility_engine.adapters.tables import engine_tables
from eligibility_engine.entrypoints.ops_commands import OpsCommandHandler, ReplayRunner
from eligibility_engine.parameters import Parameters
from engine_rig import HASHER
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

REPLIES = "ops-replies-test"


def _delivered(command: OpsCommand) -> Delivery[Received]:
    event = command.to_cloudevent("/ops", datetime.now(UTC), None)
    envelope = CloudEvent(event.id, "/ops", event.type, event.time, event.data)
    return Delivery(None, Received(envelope, command))


class Engine:
    def __init__(self, db: AsyncEngine, schema: str) -> None:
        tables = engine_tables(schema)
        self.db, self.schema = db, schema
        sessions = session_factory(db)
        store = OpsCommandStore(ops_commands_table(schema), tables.outbox, REPLIES)
        wake = asyncio.Event()
        self.handler = OpsCommandHandler(sessions, store, wake)
        parts = (
            ReplaySelector(schema, "127.0.0.1:1", ("life-events-x",)),
            CaseRedecider(tables, HASHER, "decisions"),
            DecideLock(db, schema),
        )
        self.runner = ReplayRunner(db, sessions, store, parts, (Parameters.packaged(), None), wake)

    async def rows(self, sql: str) -> list[Any]:
        async with self.db.connect() as conn:
            return list(await conn.execute(text(sql.replace("{s}", f'"{self.schema}"'))))

    async def replies(self) -> list[dict[str, Any]]:
        rows = await self.rows(
            f"SELECT value FROM {{s}}.outbox WHERE topic = '{REPLIES}' ORDER BY id"
        )
        return [json.loads(bytes(r[0])) for r in rows]


async def _engine(database_url: str, db_engine: AsyncEngine, schema: str) -> Engine:
    await migrate(database_url, "eligibility_engine.migrations", schema)
    return Engine(db_engine, schema)


def _replay(selection: ReplaySelection) -> ReplayCases:
    return ReplayCases(command_id="c-1", requested_by="test", selection=selection)


async def test_a_command_delivered_twice_is_recorded_once_and_a_cancel_stops_it(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    engine = await _engine(database_url, db_engine, fresh_schema)
    command = _replay(ReplaySelection(kind="everything"))
    cancel = CancelCommand(command_id="c-2", requested_by="test", target_command_id="c-1")
    notice = RetryNotice(command_id="c-3", requested_by="test", notice_id="n-1")

    await engine.handler.handle([_delivered(command), _delivered(notice), _delivered(command)])
    await engine.handler.handle([_delivered(cancel), _delivered(command)])

    assert [r[0] for r in await engine.rows("SELECT command_id FROM {s}.ops_commands")] == ["c-1"]
    assert await engine.runner.run_next()
    assert not await engine.runner.run_next()  # nothing is left open
    assert [(r["seq"], r["state"]) for r in await engine.replies()] == [(0, "cancelled")]


async def test_a_selection_of_a_topic_the_engine_does_not_read_fails_with_its_reason(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    engine = await _engine(database_url, db_engine, fresh_schema)
    unread = ReplaySelection(kind="topic_time", topic="payroll")
    await engine.handler.handle([_delivered(_replay(unread))])

    assert await engine.runner.run_next()

    [failed] = await engine.replies()
    assert (failed["state"], failed["cases_total"]) == ("failed", 0)
    assert "payroll" in failed["error"]
    state = await engine.rows("SELECT state, error FROM {s}.ops_commands")
    assert state[0][0] == "failed" and "payroll" in state[0][1]
