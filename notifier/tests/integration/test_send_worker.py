"""The handler and the sender on real PostgreSQL with a scripted gateway (in process): the
same key and body on every retry, unknown after the report wait, never to one who died
meanwhile, a refusal is final, a superseded decision's notice never goes, a replayed
decision records nothing new."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest_asyncio
from benefits_shared.clock import BAKU, FixedClock
from benefits_shared.db.migrations import migrate
from benefits_shared.pin import PinHasher
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from benefits_shared.testing import statements
from notifier.adapters.mirror_store import MirrorStore
from notifier.adapters.notice_store import NoticeStore, ReportIn
from notifier.adapters.sms_gateway import Acceptance, Accepted
from notifier.adapters.tables import notifier_tables
from notifier.entrypoints.event_handler import EventHandler
from notifier.entrypoints.send_worker import SendWorker
from notifier.errors import GatewayRefused, OutcomeUnknown
from notifier.metrics import NotifierMetrics
from notifier.outgoing_sms import Sending
from notifier.send_window import SendWindow
from notifier_scenario import account, decision, person, pin_of, unhindered, until
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

MORNING = datetime(2026, 3, 2, 10, tzinfo=BAKU)


@dataclass
class ScriptedGateway:
    """Answers from a script (an exception to raise, or None to accept); records calls."""

    script: list[Exception | None] = field(default_factory=list)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    async def submit(self, idempotency_key: str, body: dict[str, Any]) -> Accepted:
        self.calls.append((idempotency_key, body))
        outcome = self.script.pop(0) if self.script else None
        if outcome is not None:
            raise outcome
        acceptance = Acceptance(message_id=f"m-{idempotency_key[:8]}", segments=1, encoding="UCS2")
        return Accepted(acceptance, replayed=len(self.calls) > 1)


@dataclass
class Sender:
    worker: SendWorker
    gateway: ScriptedGateway
    handler: EventHandler
    clock: FixedClock
    sessions: async_sessionmaker[AsyncSession]
    store: NoticeStore
    schema: str

    async def feed(self, *payloads: Any) -> None:
        """Apply events as the Kafka handler does (no Kafka here)."""
        async with self.sessions.begin() as s:
            await self.handler.apply(s, payloads, self.clock.now())

    async def run_until_quiet(self, passes: int = 20) -> None:
        for _ in range(passes):
            await self.worker.step()
            await asyncio.sleep(0.005)  # let the database's retry_at pass

    async def notice(self) -> dict[str, Any]:
        async with self.sessions() as s:
            row = (await s.execute(text(f'SELECT * FROM "{self.schema}".notices'))).one()
            return dict(row._mapping)


@pytest_asyncio.fixture
async def sender(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> AsyncIterator[Sender]:
    await migrate(database_url, "notifier.migrations", fresh_schema)
    sessions = async_sessionmaker(db_engine, expire_on_commit=False)
    tables, metrics, clock = notifier_tables(fresh_schema), NotifierMetrics(), FixedClock(MORNING)
    store = NoticeStore(tables, PinHasher(DEV_PIN_HMAC_KEY), "notices", metrics)
    policy = unhindered(0.0)
    gateway = ScriptedGateway()
    sending = Sending("142", "http://127.0.0.1:18090/v1/delivery-reports")
    worker = SendWorker(
        sessions, store, MirrorStore(tables), gateway, clock, sending, policy, metrics
    )
    handler = EventHandler(sessions, tables, store, clock, timedelta(0))
    yield Sender(worker, gateway, handler, clock, sessions, store, fresh_schema)


async def test_a_time_out_is_retried_with_the_same_key_and_body(sender: Sender) -> None:
    sender.gateway.script = [OutcomeUnknown("ReadTimeout"), OutcomeUnknown("ReadTimeout")]
    await sender.feed(person(1), decision(1, "B1"))
    await sender.worker.step()  # prepares
    await sender.worker.step()  # times out
    await sender.feed(account(1), person(1, phone="+994559999999", seq=4))
    await sender.run_until_quiet()
    keys = {key for key, _ in sender.gateway.calls}
    bodies = {body["to"] + body["text"] for _, body in sender.gateway.calls}
    assert (len(sender.gateway.calls), len(keys), len(bodies)) == (3, 1, 1)
    assert (await sender.notice())["state"] == "accepted"


async def test_without_a_report_in_time_the_notice_becomes_unknown_and_a_late_one_settles_it(
    sender: Sender,
) -> None:
    await sender.feed(person(2), decision(2, "B3"))
    await sender.run_until_quiet()
    sender.clock.advance(timedelta(hours=1, seconds=1))
    sender.worker._swept_at = float("-inf")
    await sender.worker.step()
    notice = await sender.notice()
    assert (notice["state"], notice["reason"]) == ("unknown", "no delivery report within 3600 s")
    async with sender.sessions.begin() as s:
        report = ReportIn(notice["message_id"], "DELIVERED", None, sender.clock.now())
        await sender.store.take_reports(s, [report], sender.clock.now())
    assert (await sender.notice())["state"] == "delivered"


async def test_one_who_dies_after_an_unanswered_attempt_is_not_tried_again(
    sender: Sender,
) -> None:
    sender.gateway.script = [OutcomeUnknown("ReadTimeout")]
    await sender.feed(person(3), decision(3, "B1"))
    await sender.worker.step()  # prepared and handed over: no answer
    await sender.feed(person(3, died=date(2026, 3, 2), seq=2))
    await sender.run_until_quiet()
    notice = await sender.notice()
    assert len(sender.gateway.calls) == 1
    assert notice["state"] == "unknown"
    assert notice["reason"] == "the recipient has died; an earlier attempt's outcome is unknown"


async def test_a_refusal_fails_the_notice_for_good(sender: Sender) -> None:
    sender.gateway.script = [GatewayRefused(400, "invalid_message")]
    await sender.feed(person(4), decision(4, "B1"))
    await sender.run_until_quiet()
    notice = await sender.notice()
    assert (notice["state"], len(sender.gateway.calls)) == ("failed", 1)
    assert notice["reason"] == "refused by the gateway: 400 invalid_message"


async def test_nothing_is_handed_over_at_night(sender: Sender) -> None:
    sender.clock.set(datetime(2026, 3, 2, 22, 0, tzinfo=BAKU))
    await sender.feed(person(5), decision(5, "B1"))
    await sender.run_until_quiet()
    assert sender.gateway.calls == []
    sender.clock.set(datetime(2026, 3, 3, 9, 0, tzinfo=BAKU))
    await sender.run_until_quiet()
    assert [key for key, _ in sender.gateway.calls] == [(await sender.notice())["notice_id"]]
    assert pin_of(5) not in sender.gateway.calls[0][1]["text"]


async def test_a_decision_superseded_before_its_notice_went_never_sends_it(
    sender: Sender,
) -> None:
    sender.clock.set(datetime(2026, 3, 2, 23, 0, tzinfo=BAKU))
    granted = decision(6, "B1")
    revoked = decision(6, "B1", "revoked", amount=None, supersedes=granted.decision_id)
    await sender.feed(person(6), granted, granted)
    await sender.feed(revoked)
    sender.clock.set(datetime(2026, 3, 3, 9, 0, tzinfo=BAKU))
    await sender.run_until_quiet()
    notice = await sender.notice()
    assert sender.gateway.calls == []
    reference = f"B1-{revoked.decision_id.replace('-', '')[:8].upper()}"
    assert (notice["state"], notice["reason"]) == (
        "skipped",
        f"superseded by decision {reference} before it was sent",
    )


async def test_one_pass_prepares_the_due_notices_together_and_stops_the_unreachable(
    sender: Sender,
) -> None:
    """The pass prepares every due notice (one read of the mirror, one write), skips the
    one whose recipient died, and hands over the one it claimed, in the same pass."""
    await sender.feed(*(person(i) for i in range(10, 16)))
    await sender.feed(*(decision(i, "B3") for i in range(10, 16)))
    await sender.feed(person(15, died=date(2026, 3, 2), seq=2))  # after its notice was recorded
    engine = sender.sessions.kw["bind"]
    with statements(engine) as seen:
        await sender.worker.step()
    mirror_reads = [q for q in seen if f"FROM {sender.schema}.persons" in q]
    bodies_stored = [q for q in seen if q.startswith(f"UPDATE {sender.schema}.notices SET request")]
    assert (len(mirror_reads), len(bodies_stored)) == (1, 1), "once for the lot"
    async with sender.sessions() as s:
        rows = (
            await s.execute(text(f'SELECT state, request FROM "{sender.schema}".notices'))
        ).all()
    assert len(sender.gateway.calls) == 1
    assert sorted((r.state, r.request is not None) for r in rows) == [
        ("accepted", True),
        *[("pending", True)] * 4,
        ("skipped", False),
    ]
    # each body stored as the JSON object that is sent, not as a string of it
    assert [r.request for r in rows if r.state == "accepted"] == [sender.gateway.calls[0][1]]
    assert all(isinstance(r.request, dict) for r in rows if r.request is not None)
    for _ in range(4):
        await sender.worker.step()
    assert len({key for key, _ in sender.gateway.calls}) == 5


class StalledWrites(SendWorker):
    """A sender whose outcome transactions wait for ``written`` (a slow commit)."""

    written = asyncio.Event()

    async def _write_outcomes(self, s: AsyncSession, outcomes: Sequence[Any]) -> None:
        await self.written.wait()
        await super()._write_outcomes(s, outcomes)


async def test_a_hand_over_gives_its_place_in_the_window_back_once_the_gateway_answered(
    sender: Sender,
) -> None:
    """The window measures the gateway (ADR 18): an answered hand-over whose outcome is
    still being written holds no place, so with a window of one the next notice goes."""
    policy = replace(unhindered(0.01, SendWindow(1, time.monotonic)), lanes=2)
    StalledWrites.written = asyncio.Event()
    worker = StalledWrites(
        sender.sessions,
        sender.store,
        MirrorStore(notifier_tables(sender.schema)),
        sender.gateway,
        sender.clock,
        Sending("142", "http://127.0.0.1:18090/v1/delivery-reports"),
        policy,
        NotifierMetrics(),
    )
    await sender.feed(person(1), decision(1, "B1"), person(2), decision(2, "B1"))
    running = asyncio.create_task(worker.run())

    async def both_handed_over() -> bool:
        return len(sender.gateway.calls) == 2

    await until(both_handed_over)  # while the first outcome's transaction still waits
    StalledWrites.written.set()

    async def both_accepted() -> bool:
        async with sender.sessions() as s:
            sql = f"SELECT count(*) FROM \"{sender.schema}\".notices WHERE state = 'accepted'"
            return int((await s.execute(text(sql))).scalar_one()) == 2

    await until(both_accepted)
    worker.stop()
    await running
    assert len(sender.gateway.calls) == 2
