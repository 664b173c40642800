"""The replay API on real PostgreSQL and Kafka: who may start and follow runs, that a
command reaches ``ops-commands`` and the audit log, and that a run's view is what the
engine's projected replies say (down to "no change")."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest_asyncio
from benefits_ops.access import Role
from benefits_ops.adapters.projection_store import ProjectionStore
from benefits_ops.adapters.tables import OpsTables, ops_tables
from benefits_ops.bootstrap import MIGRATIONS, build_app
from benefits_ops.config import OpsSettings
from benefits_ops.entrypoints.projection_handler import ProjectionHandler, raw
from benefits_ops.pin_redaction import PinRedactor
from benefits_shared.contracts.ops import CaseDifference, DecisionSide, ReplayProgressed
from benefits_shared.db.migrations import migrate
from benefits_shared.db.sessions import session_factory
from benefits_shared.kafka.admin import ensure_topics
from benefits_shared.kafka.clients import idempotent_producer, safe_consumer
from benefits_shared.kafka.consumer_loop import Delivery
from benefits_shared.pin import PinHasher
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from benefits_shared.topics import Topic
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

HASHER = PinHasher(DEV_PIN_HMAC_KEY)
PIN = "5XH81PZ"


@dataclass
class Api:
    client: httpx.AsyncClient
    tables: OpsTables
    engine: AsyncEngine
    commands: str
    bootstrap: str
    tokens: dict[str, str]

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    async def project(self, records: list[Any]) -> None:
        handler = ProjectionHandler(
            session_factory(self.engine), ProjectionStore(self.tables), PinRedactor(HASHER)
        )
        await handler.handle([Delivery(r, raw(r)) for r in records])

    async def commands_on_topic(self) -> list[Any]:
        reader = safe_consumer(self.bootstrap, None, self.commands)
        await reader.start()
        out: list[Any] = []
        try:
            while batch := await reader.getmany(timeout_ms=1500):
                for records in batch.values():
                    out.extend(records)
        finally:
            await reader.stop()
        return out


@pytest_asyncio.fixture
async def api(
    kafka_bootstrap: str, database_url: str, db_engine: AsyncEngine, fresh_schema: str, unique: str
) -> AsyncIterator[Api]:
    commands = f"ops-commands-{unique}"
    await ensure_topics(kafka_bootstrap, [Topic(commands, 3)])
    await migrate(database_url, MIGRATIONS, fresh_schema)
    tables = ops_tables(fresh_schema)
    sessions = session_factory(db_engine)
    settings = OpsSettings(ops_schema=fresh_schema, ops_topics=(commands, f"{commands}.dlq"))
    producer = idempotent_producer(kafka_bootstrap, "ops-test")
    await producer.start()
    app = build_app(settings, sessions, HASHER, producer)
    tokens = {}
    async with sessions.begin() as s:
        for role in Role:
            tokens[role.value] = (await app.state.ops.tokens.create(s, role.value, role, "test"))[1]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ops") as client:
        yield Api(client, tables, db_engine, commands, kafka_bootstrap, tokens)
    await producer.stop()


def replay_body(**selection: Any) -> dict[str, Any]:
    return {"selection": selection or {"kind": "everything"}, "reason": "after the outage"}


async def test_no_token_no_replay_and_a_viewer_cannot_start_one(api: Api) -> None:
    assert (await api.client.post("/api/v1/replays", json=replay_body())).status_code == 401
    viewer = await api.client.post(
        "/api/v1/replays", json=replay_body(), headers=api.auth("viewer")
    )
    assert viewer.status_code == 403
    assert await api.commands_on_topic() == []


async def test_an_operator_s_replay_is_a_command_on_the_topic_and_in_the_audit_log(
    api: Api,
) -> None:
    body = replay_body(kind="person", pin=PIN)
    sent = await api.client.post("/api/v1/replays", json=body, headers=api.auth("operator"))

    assert sent.status_code == 202
    command_id = sent.json()["command_id"]
    [record] = await api.commands_on_topic()
    assert record.key == command_id.encode()
    command = json.loads(record.value)
    assert (command["mode"], command["selection"]["pin"]) == ("dry_run", PIN)
    async with api.engine.connect() as conn:
        audit = (await conn.execute(select(api.tables.audit_log))).mappings().all()
    assert [(a["action"], a["target"], a["reason"]) for a in audit] == [
        ("replay.dry_run", command_id, "after the outage")
    ]
    assert PIN not in json.dumps(audit[0]["details"])
    assert audit[0]["details"]["pin_hash"] == HASHER.digest(PIN)


async def test_a_run_s_view_is_what_the_projected_replies_say(api: Api) -> None:
    sent = await api.client.post(
        "/api/v1/replays", json=replay_body(), headers=api.auth("operator")
    )
    command_id = sent.json()["command_id"]
    await api.project(await api.commands_on_topic())
    progress = api.client.get(f"/api/v1/replays/{command_id}", headers=api.auth("viewer"))
    assert (await progress).json()["verdict"] == "waiting for the engine"

    difference = CaseDifference(
        case_id="B1:abc",
        benefit="B1",
        old=DecisionSide(
            outcome="assigned", amount=Decimal(350), worth=Decimal(350), recipient_pin=PIN
        ),
        new=DecisionSide(
            outcome="assigned", amount=Decimal(400), worth=Decimal(400), recipient_pin=PIN
        ),
        delta=Decimal(50),
    )
    await api.project(
        [
            _reply(command_id, 0, "started"),
            _reply(command_id, 1, "running", (difference,)),
            _reply(command_id, 2, "completed", changed=1),
        ]
    )
    shown = (
        await api.client.get(f"/api/v1/replays/{command_id}", headers=api.auth("viewer"))
    ).json()

    assert (shown["finished"], shown["verdict"]) == (True, "1 decisions would change")
    [found] = shown["run"]["differences"]
    assert (Decimal(found["old"]["worth"]), Decimal(found["new"]["worth"])) == (350, 400)
    assert PIN not in json.dumps(shown)  # the projection keeps PINs as keyed hashes
    listed = (await api.client.get("/api/v1/replays", headers=api.auth("viewer"))).json()
    assert [r["run"]["command_id"] for r in listed] == [command_id]


async def test_the_console_shows_a_finished_dry_run_without_differences_as_no_change(
    api: Api,
) -> None:
    sent = await api.client.post(
        "/api/v1/replays", json=replay_body(), headers=api.auth("operator")
    )
    command_id = sent.json()["command_id"]
    await api.project([_reply(command_id, 0, "started"), _reply(command_id, 1, "completed")])
    api.client.cookies.set("ops_token", api.tokens["viewer"])
    page = await api.client.get(f"/console/replay/{command_id}")
    assert page.status_code == 200
    assert "no change" in page.text and "No change." in page.text


async def test_a_completed_run_that_selected_no_case_says_so_not_no_change(api: Api) -> None:
    sent = await api.client.post(
        "/api/v1/replays", json=replay_body(), headers=api.auth("operator")
    )
    command_id = sent.json()["command_id"]
    replies = [
        _reply(command_id, 0, "started", cases=0),
        _reply(command_id, 1, "completed", cases=0),
    ]
    await api.project(replies)
    shown = await api.client.get(f"/api/v1/replays/{command_id}", headers=api.auth("viewer"))
    assert shown.json()["verdict"] == "nothing selected"
    api.client.cookies.set("ops_token", api.tokens["viewer"])
    page = await api.client.get(f"/console/replay/{command_id}")
    assert "nothing selected" in page.text and "No case was selected" in page.text
    assert "No change." not in page.text


async def test_a_retry_of_a_parked_notice_is_a_command_an_operator_sends(api: Api) -> None:
    refused = await api.client.post(
        "/api/v1/notices/n-1/retry", json={"reason": "back"}, headers=api.auth("viewer")
    )
    assert refused.status_code == 403
    sent = await api.client.post(
        "/api/v1/notices/n-1/retry", json={"reason": "back"}, headers=api.auth("operator")
    )
    assert sent.status_code == 202
    [record] = await api.commands_on_topic()
    assert json.loads(record.value)["notice_id"] == "n-1"


def _reply(
    command_id: str,
    seq: int,
    state: str,
    differences: tuple[CaseDifference, ...] = (),
    changed: int | None = None,
    cases: int = 6,
) -> Any:
    reply = ReplayProgressed(
        command_id=command_id,
        seq=seq,
        mode="dry_run",
        state=state,  # type: ignore[arg-type]
        selection="every case",
        cases_total=cases,
        cases_done=0 if state == "started" else cases,
        differences=differences,
        changed_so_far=len(differences) if changed is None else changed,
    )
    event = reply.to_cloudevent("/eligibility-engine", datetime.now(UTC), None)
    return _Record("ops-replies-x", 0, seq, command_id.encode(), event.value(), event.headers())


@dataclass
class _Record:
    """A consumed Kafka record as the projection reads it."""

    topic: str
    partition: int
    offset: int
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]


async def test_the_console_s_forms_start_a_replay_and_a_shadow_run(api: Api) -> None:
    api.client.cookies.set("ops_token", api.tokens["operator"])
    form = {"kind": "topic_time", "topic": "life-events", "since": "2026-03-01T00:00"}
    started = await api.client.post("/console/replay", data={**form, "reason": "outage"})
    assert started.status_code == 303
    upload = {"parameter_file": ("birth_grant.yaml", b"base_amount: {}\n", "application/yaml")}
    shadow = await api.client.post("/console/shadow", data={"reason": "try"}, files=upload)
    assert shadow.status_code == 303
    bad = await api.client.post("/console/replay", data={"kind": "topic_offsets", "reason": "x"})
    assert bad.status_code == 422

    replay, shadow_run = sorted(
        (json.loads(r.value) for r in await api.commands_on_topic()), key=lambda c: "label" in c
    )
    assert replay["selection"]["since"].startswith("2026-03-01T00:00:00+04:00")
    assert shadow_run["parameter_files"] == {"birth_grant.yaml": "base_amount: {}\n"}
    assert started.headers["location"] == f"/console/replay/{replay['command_id']}"


async def test_a_cancel_goes_to_the_partition_of_the_run_it_cancels(api: Api) -> None:
    sent = await api.client.post(
        "/api/v1/replays", json=replay_body(), headers=api.auth("operator")
    )
    run_id = sent.json()["command_id"]
    viewer = await api.client.post(
        f"/api/v1/replays/{run_id}/cancel", json={"reason": "wrong day"}, headers=api.auth("viewer")
    )
    assert viewer.status_code == 403
    cancel = await api.client.post(
        f"/api/v1/replays/{run_id}/cancel",
        json={"reason": "wrong day"},
        headers=api.auth("operator"),
    )
    assert cancel.status_code == 202

    run, cancelled = sorted(await api.commands_on_topic(), key=lambda r: r.offset)
    assert run.partition == cancelled.partition and cancelled.key == run_id.encode()
    assert json.loads(cancelled.value)["target_command_id"] == run_id
