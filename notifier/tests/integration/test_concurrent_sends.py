"""Several hand-overs at once on real PostgreSQL, through a real HTTP gateway (uvicorn on a
free port): one call that hangs holds up none of the others, and every notice is handed
over under its own key, once accepted (ADR 18). A call in flight holds its notice by a
lease, not a lock: a sender killed mid-call leaves it to the next one after the lease, and
an outcome that comes after its lease was lost is not written (the next holder's is)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio
from benefits_shared.circuit_breaker import CircuitBreaker
from benefits_shared.clock import BAKU, FixedClock
from benefits_shared.db.migrations import migrate
from benefits_shared.hedging import COPIES
from benefits_shared.local_ports import free_port
from benefits_shared.pin import PinHasher
from benefits_shared.retry_policies import RetryPolicy
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
#: Hedging off (ADR 25) where a test is about a call that hangs until its time-out.
NO_HEDGE = 3600.0


class HangingGateway:
    """``POST /v1/messages`` of partners.md; the first request's answer waits for
    ``release`` (a later one with the same key is answered at once). With ``fails``, the
    first key's first ``fails`` requests are answered 500 at once instead."""

    def __init__(self, fails: int = 0) -> None:
        self.keys: list[str] = []
        self.release = asyncio.Event()
        self.fails = fails
        self.app = FastAPI()
        self.app.post("/v1/messages", status_code=202)(self._post)

    async def _post(self, request: Request) -> JSONResponse:
        key = request.headers["Idempotency-Key"]
        self.keys.append(key)
        if self.fails and key == self.keys[0] and self.keys.count(key) <= self.fails:
            return JSONResponse({"error": "internal"}, status_code=500)
        if len(self.keys) == 1 and not self.fails:
            await self.release.wait()
        answer = {"message_id": f"m-{key}", "segments": 1, "encoding": "UCS2"}
        return JSONResponse(answer, status_code=202)


class Rig:
    def __init__(
        self,
        new_worker: Callable[[], SendWorker],
        gateway: HangingGateway,
        schema: str,
        retry: RetryPolicy,
    ) -> None:
        self.new_worker, self.gateway, self.schema = new_worker, gateway, schema
        self.retry = retry
        self.worker = new_worker()

    async def states(self, engine: AsyncEngine) -> Counter[str]:
        async with engine.connect() as conn:
            rows = await conn.execute(text(f'SELECT state FROM "{self.schema}".notices'))
            return Counter(r.state for r in rows)

    async def send_all(self, engine: AsyncEngine) -> None:
        """Run the sender until every notice is accepted."""
        await self.until_all_accepted(engine, asyncio.create_task(self.worker.run()))

    async def until_all_accepted(self, engine: AsyncEngine, running: asyncio.Task[None]) -> None:
        """Wait until every notice is accepted, then stop the sender."""

        async def all_accepted() -> bool:
            return (await self.states(engine))["accepted"] == len(PEOPLE)

        await until(all_accepted)
        self.worker.stop()
        await running

    async def hanging(self, engine: AsyncEngine, sql: str) -> Any:
        """``sql`` about the notice whose call hangs (``:id``), in a transaction of its own."""
        async with engine.begin() as conn:
            notice_id = self.gateway.keys[0]  # the notice id is the idempotency key
            found = await conn.execute(text(sql.format(t=self._notices)), {"id": notice_id})
            return found.first()

    @property
    def _notices(self) -> str:
        return f'"{self.schema}".notices'


@dataclass(frozen=True, slots=True)
class RecordingPolicy(RetryPolicy):
    """The retry policy, noting each wait it gave (failures in a row, wait)."""

    waits: list[tuple[int, float]] = field(default_factory=list)

    def delay(
        self, failures: int, retry_after: float | None = None, partner_answering: bool = False
    ) -> float:
        wait = RetryPolicy.delay(self, failures, retry_after, partner_answering)
        self.waits.append((failures, wait))
        return wait


def _window(kind: str) -> SendWindow:
    """Four lanes ("wide", and "hedged": a hanging call is copied after 0.05 s); "narrowed":
    429s have cut the window to one place, which a hang would hold for good unless a slow
    hand-over gave its place back."""
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
    failing = request.param == "failing"
    gateway, port = HangingGateway(fails=3 if failing else 0), free_port()
    server = HttpServer(gateway.app, "127.0.0.1", port)
    serving = asyncio.create_task(server.run())
    policy = unhindered(0.01, _window(request.param))
    if failing:  # a breaker as the notifier's (20 of the last 40 open it); backoff 0.2 s up
        breaker = CircuitBreaker(20, 30.0, time.monotonic, window=40)
        policy = replace(policy, breaker=breaker, retry=RecordingPolicy(0.2, 60.0))
    async with httpx.AsyncClient(timeout=LIMIT_SECONDS) as http:
        hedge_after = 0.05 if request.param == "hedged" else NO_HEDGE
        sms = SmsGateway(http, f"http://127.0.0.1:{port}", hedge_after)
        sending = Sending("142", "http://127.0.0.1:18090/v1/delivery-reports")

        def new_worker() -> SendWorker:
            mirror = MirrorStore(tables)
            return SendWorker(sessions, store, mirror, sms, clock, sending, policy, metrics)

        await until(lambda: _answers(port))
        rig = Rig(new_worker, gateway, fresh_schema, policy.retry)
        yield rig
        rig.worker.stop()
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
    await rig.until_all_accepted(db_engine, running)
    # Each notice went under its own key, and once: no lane took another's notice.
    assert sorted(Counter(rig.gateway.keys).values()) == [1] * len(PEOPLE)


@pytest.mark.parametrize("rig", ["wide"], indirect=True)
async def test_a_sender_killed_mid_call_leaves_the_notice_to_the_next_after_its_lease(
    rig: Rig, db_engine: AsyncEngine
) -> None:
    running = asyncio.create_task(rig.worker.run())

    async def others_accepted() -> bool:
        return (await rig.states(db_engine))["accepted"] == len(PEOPLE) - 1

    await until(others_accepted)
    # The hanging call holds a lease (its attempt counted, not due), not a row lock.
    lease = await rig.hanging(
        db_engine, "SELECT attempts, retry_at > now() AS leased FROM {t} WHERE notice_id = :id"
    )
    assert (lease.attempts, lease.leased) == (1, True)
    locked = "SELECT notice_id FROM {t} WHERE notice_id = :id FOR UPDATE NOWAIT"
    assert await rig.hanging(db_engine, locked) is not None  # no one holds its row

    running.cancel()  # killed mid-call: nothing about the call is written
    with pytest.raises(asyncio.CancelledError):
        await running
    expire = "UPDATE {t} SET retry_at = now() - interval '1 second' WHERE notice_id = :id"
    await rig.hanging(db_engine, expire + " RETURNING notice_id")  # the lease runs out
    rig.gateway.release.set()

    rig.worker = rig.new_worker()
    await rig.send_all(db_engine)
    # The next sender asked again with the same key: the gateway takes it once.
    counts = Counter(rig.gateway.keys)
    assert counts.pop(rig.gateway.keys[0]) == 2
    assert sorted(counts.values()) == [1] * (len(PEOPLE) - 1)
    again = await rig.hanging(db_engine, "SELECT attempts FROM {t} WHERE notice_id = :id")
    assert again.attempts == 2


@pytest.mark.parametrize("rig", ["wide"], indirect=True)
async def test_an_outcome_after_the_lease_was_lost_is_not_written(
    rig: Rig, db_engine: AsyncEngine
) -> None:
    running = asyncio.create_task(rig.worker.run())
    await until(lambda: _keys_seen(rig, len(PEOPLE)))
    # The lease runs out while the call hangs (a stalled process): another lane takes the
    # notice, asks again with the same key, and the gateway's answer is written.
    expire = "UPDATE {t} SET retry_at = now() WHERE notice_id = :id RETURNING notice_id"
    await rig.hanging(db_engine, expire)

    async def all_accepted() -> bool:
        return (await rig.states(db_engine))["accepted"] == len(PEOPLE)

    await until(all_accepted)
    assert rig.gateway.keys[-1] == rig.gateway.keys[0]
    delivered = "UPDATE {t} SET state = 'delivered' WHERE notice_id = :id RETURNING notice_id"
    await rig.hanging(db_engine, delivered)  # its delivery report has come since
    rig.gateway.release.set()  # the first call is answered now, long after its lease
    rig.worker.stop()
    await running
    # That late answer changed nothing: the notice is not moved back to "accepted".
    state = await rig.hanging(db_engine, "SELECT state FROM {t} WHERE notice_id = :id")
    assert state.state == "delivered"


async def _keys_seen(rig: Rig, n: int) -> bool:
    return len(rig.gateway.keys) >= n


@pytest.mark.parametrize("rig", ["wide"], indirect=True)
async def test_lanes_that_look_for_work_together_claim_it_in_one_transaction(
    rig: Rig, db_engine: AsyncEngine
) -> None:
    rig.gateway.release.set()  # no call hangs
    await rig.send_all(db_engine)
    claims = rig.worker._claims
    assert claims.served > claims.calls  # some transactions claimed for several lanes
    assert sorted(Counter(rig.gateway.keys).values()) == [1] * len(PEOPLE)


@pytest.mark.parametrize("rig", ["hedged"], indirect=True)
async def test_a_hand_over_that_hangs_is_answered_by_its_copy_with_the_same_key(
    rig: Rig, db_engine: AsyncEngine
) -> None:
    await rig.send_all(db_engine)
    assert not rig.gateway.release.is_set()  # the first call never answered
    sent = Counter(rig.gateway.keys)
    assert len(sent) == len(PEOPLE)  # one key a notice, its copies included
    # answered by a copy with the same key; on a loaded machine a copy slower than the
    # hedge wait has a copy of its own (ADR 25), so it may be sent up to 1 + COPIES times
    assert 2 <= sent[rig.gateway.keys[0]] <= 1 + COPIES
    # within its one attempt: not a time-out (an unknown outcome) and a retry
    attempts = "SELECT max(attempts), max(failures), bool_or(outcome_unknown) FROM {t}"
    assert tuple(await rig.hanging(db_engine, attempts)) == (1, 0, False)


@pytest.mark.parametrize("rig", ["failing"], indirect=True)
async def test_a_notice_failing_while_the_gateway_answers_the_others_backs_off_no_further(
    rig: Rig, db_engine: AsyncEngine
) -> None:
    await rig.send_all(db_engine)
    failing = rig.gateway.keys[0]
    assert rig.gateway.keys.count(failing) == 4  # three 500s, then accepted
    assert isinstance(rig.retry, RecordingPolicy)
    assert [failures for failures, _ in rig.retry.waits] == [1, 2, 3]
    # Each wait is the first step's (0.1-0.2 s): the third would be 0.4-0.8 s if it grew.
    assert all(0.1 <= wait <= 0.2 for _, wait in rig.retry.waits)
