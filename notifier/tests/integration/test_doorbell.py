"""The consumer wakes the senders when it has recorded notices (the doorbell, ADR 0022):
with an idle pause of an hour, a notice is still handed over at once, batch after batch.
Only the handler's ring can have woken the lanes. Real PostgreSQL, a real HTTP gateway."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta

import httpx
from benefits_shared.clock import BAKU, FixedClock
from benefits_shared.db.migrations import migrate
from benefits_shared.doorbell import Doorbell
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
from notifier_scenario import LIMIT_SECONDS, decision, deliveries, person, unhindered, until
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

MORNING = datetime(2026, 3, 2, 10, tzinfo=BAKU)
AN_HOUR = 3600.0


def accepting_gateway(keys: list[str]) -> FastAPI:
    """``POST /v1/messages`` of partners.md, accepting every message."""
    app = FastAPI()

    @app.post("/v1/messages", status_code=202)
    async def _post(request: Request) -> JSONResponse:
        key = request.headers["Idempotency-Key"]
        keys.append(key)
        return JSONResponse({"message_id": f"m-{key}", "segments": 1, "encoding": "GSM7"}, 202)

    return app


async def test_each_batch_recorded_wakes_the_sleeping_senders(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> None:
    await migrate(database_url, "notifier.migrations", fresh_schema)
    sessions = async_sessionmaker(db_engine, expire_on_commit=False)
    tables, metrics, clock = notifier_tables(fresh_schema), NotifierMetrics(), FixedClock(MORNING)
    store = NoticeStore(tables, PinHasher(DEV_PIN_HMAC_KEY), "notices", metrics)
    doorbell = Doorbell()
    handler = EventHandler(sessions, tables, store, clock, timedelta(0), doorbell)
    keys: list[str] = []
    port = free_port()
    server = HttpServer(accepting_gateway(keys), "127.0.0.1", port)
    serving = asyncio.create_task(server.run())
    policy = unhindered(AN_HOUR, SendWindow(2, time.monotonic))
    async with httpx.AsyncClient(timeout=LIMIT_SECONDS) as http:
        sms = SmsGateway(http, f"http://127.0.0.1:{port}")
        sending = Sending("142", "http://127.0.0.1:18090/v1/delivery-reports")
        worker = SendWorker(
            sessions,
            store,
            MirrorStore(tables),
            sms,
            clock,
            sending,
            policy,
            metrics,
            None,
            doorbell,
        )
        lanes = asyncio.create_task(worker.run())
        for i in (1, 2, 3):  # each batch finds the lanes asleep for an hour
            await handler.handle(deliveries(person(i), decision(i, "B3")))

            async def sent(i: int = i) -> bool:  # else the lanes slept on
                return len(keys) == i

            await until(sent)
        worker.stop()
        await lanes
    server.stop()
    await serving
    assert len(set(keys)) == 3
