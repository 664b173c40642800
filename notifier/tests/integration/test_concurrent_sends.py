"""Several hand-overs at once on real PostgreSQL, through a real HTTP gateway (uvicorn on a
free port): one call that hangs holds up none of the others, and every notice is handed
over under its own key, once accepted (ADR 18)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import httpx
import pytest
import pytest_asyncio
from benefits_shared.clock import BAKU, FixedClock
from benefits_shared.db.migrations import migrate
from benefits_shared.local_ports import free_port
from benefits_shared.pin import PinHasher
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from notifier.adapters.mirror_store import MirrorStore
from notifier.adapters.notice_store import NoticeStore
from notifier.adapters.sms_gateway import SmsGateway
from notifier.adapters.tables import notifier_tables
from notifier.entrypoints.event_handler import EventHandler
from notifier.entrypoints.http_server import HttpServer
from notifier.entrypoints.send_worker import SendWorker
from notifier.metrics import NotifierMetrics
from notifier.outgoing_sms import Sending
from notifier.send_window import SendWindow
from notifier_scenario import LIMIT_SECONDS, decision, person, unhindered, until
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

MORNING = datetime(2026, 3, 2, 10, tzinfo=BAKU)
PEOPLE = range(1, 9)


class HangingGateway:
    """``POST /v1/messages`` of partners.md; the first message's answer waits for ``release``."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.release = asyncio.Event()
        self.app = FastAPI()
        self.app.post("/v1/messages", status_code=202)(self._post)

    async def _post(self, request: Request) -> JSONResponse:
        key = request.headers["Idempotency-Key"]
        self.keys.append(key)
        if key == self.keys[0]:
            await self.release.wait()
        answer = {"message_id": f"m-{key}", "segments": 1, "encoding": "UCS2"}
        return JSONResponse(answer, status_code=202)


class Rig:
    def __init__(self, worker: SendWorker, gateway: HangingGateway, schema: str) -> None:
        self.worker, self.gateway, self.schema = worker, gateway, schema

    async def states(self, engine: AsyncEngine) -> Counter[str]:
        async with engine.connect() as conn:
            rows = await conn.execute(text(f'SELECT state FROM "{self.schema}".notices'))
            return Counter(r.state for r in rows)


def _window(kind: str) -> SendWindow:
    """Four lanes; "narrowed": 429s have cut the window to one place, which a hang would
    hold for good unless a slow hand-over gave its place back."""
    window = SendWindow(4, time.monotonic, minimum=1, calm_seconds=0.0)
    if kind == "narrowed":
        window.rate_limited()
        window.rate_limited()
        assert window.size == 1
    return window


@pytest_asyncio.fixture
async def rig(
    request: pytest.FixtureRequest, database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> AsyncIterator[Rig]:
    await migrate(database_url, "notifier.migrations", fresh_schema)
    sessions = async_sessionmaker(db_engine, expire_on_commit=False)
    tables, metrics, clock = notifier_tables(fresh_schema), NotifierMetrics(), FixedClock(MORNING)
    store = NoticeStore(tables, PinHasher(DEV_PIN_HMAC_KEY), "notices", metrics)
    handler = EventHandler(sessions, tables, store, clock, timedelta(0))
    async with sessions.begin() as s:
        payloads = [p for i in PEOPLE for p in (person(i), decision(i, "B3"))]
        await handler.apply(s, payloads, clock.now())
    gateway, port = HangingGateway(), free_port()
    server = HttpServer(gateway.app, "127.0.0.1", port)
    serving = asyncio.create_task(server.run())
    policy = unhindered(0.01, _window(request.param))
    async with httpx.AsyncClient(timeout=LIMIT_SECONDS) as http:
        sms = SmsGateway(http, f"http://127.0.0.1:{port}")
        sending = Sending("142", "http://127.0.0.1:18090/v1/delivery-reports")
        worker = SendWorker(
            sessions, store, MirrorStore(tables), sms, clock, sending, policy, metrics
        )
        await until(lambda: _answers(port))
        yield Rig(worker, gateway, fresh_schema)
        worker.stop()
        gateway.release.set()
    server.stop()
    await serving


async def _answers(port: int) -> bool:
    async with httpx.AsyncClient() as http:
        try:
            await http.get(f"http://127.0.0.1:{port}/")
        except httpx.TransportError:
            return False
    return True


@pytest.mark.parametrize("rig", ["wide", "narrowed"], indirect=True)
async def test_one_hanging_hand_over_holds_up_none_of_the_others(
    rig: Rig, db_engine: AsyncEngine
) -> None:
    running = asyncio.create_task(rig.worker.run())
    others = len(PEOPLE) - 1

    async def others_accepted() -> bool:
        return (await rig.states(db_engine))["accepted"] >= others

    await until(others_accepted)
    assert (await rig.states(db_engine)) == Counter({"accepted": others, "pending": 1})
    assert not rig.gateway.release.is_set()  # the first call is still hanging

    rig.gateway.release.set()

    async def all_accepted() -> bool:
        return (await rig.states(db_engine))["accepted"] == len(PEOPLE)

    await until(all_accepted)
    rig.worker.stop()
    await running
    # Each notice went under its own key, and once: no lane took another's notice.
    assert sorted(Counter(rig.gateway.keys).values()) == [1] * len(PEOPLE)
