"""The delivery-report endpoint on real PostgreSQL (the app driven in process): reports
move accepted notices, once; duplicates, late or unknown ids do no harm; a malformed body
is refused with 422; a report not signed with the gateway's secret changes nothing (401)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

import httpx
import pytest_asyncio
from benefits_shared.clock import BAKU, FixedClock
from benefits_shared.db.migrations import migrate
from benefits_shared.pin import PinHasher
from benefits_shared.report_signature import HEADER, sign
from benefits_shared.settings import DEV_PIN_HMAC_KEY
from notifier.adapters.notice_store import (
    HandedOver,
    NoticeStore,
    Planned,
    ReportIn,
    StoredNotice,
)
from notifier.adapters.tables import notifier_tables
from notifier.entrypoints.http_api import create_app
from notifier.metrics import NotifierMetrics
from notifier.notice_ids import notice_id
from notifier.notice_kinds import NoticeKind
from notifier.notice_states import NoticeState
from notifier.outgoing_sms import PreparedSms, SmsRequest
from notifier_scenario import decision
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

NOW = datetime(2026, 3, 2, 10, tzinfo=BAKU)
SECRET = "test-report-secret-of-the-gateway-0123"
SMS = PreparedSms(SmsRequest("+994500000001", "Salam", "142", "http://x/r"), "GSM7", 1, False)


@dataclass
class Reports:
    client: httpx.AsyncClient
    store: NoticeStore
    sessions: async_sessionmaker[AsyncSession]
    schema: str

    async def post(
        self, message_id: str, status: str, at: str = "2026-03-02T10:00:05+04:00", **extra: Any
    ) -> httpx.Response:
        body = {"message_id": message_id, "status": status, "error": None, "at": at, **extra}
        return await self.signed(json.dumps(body).encode())

    async def signed(self, body: bytes, secret: str = SECRET) -> httpx.Response:
        headers = {HEADER: sign(secret, body), "Content-Type": "application/json"}
        return await self.client.post("/v1/delivery-reports", content=body, headers=headers)

    async def accepted(self, i: int, message_id: str) -> str:
        """A notice of decision ``i`` handed over and accepted as ``message_id``."""
        return (await self.all_accepted({i: message_id}))[0]

    async def all_accepted(self, message_ids: dict[int, str]) -> list[str]:
        """Notices of decisions ``i`` handed over, accepted together as ``message_ids[i]``."""
        handed = []
        for i, message_id in message_ids.items():
            made = decision(i, "B1", amount=Decimal("250.00"))
            notice = StoredNotice(
                notice_id(made.decision_id, NoticeKind.B1_ASSIGNED),
                made,
                NoticeKind.B1_ASSIGNED,
                "az",
                NoticeState.PENDING,
            )
            handed.append(HandedOver(notice, message_id, NOW))
        async with self.sessions.begin() as s:
            await self.store.record_all(s, [Planned(h.notice, NOW) for h in handed])
            await self.store.save_prepared(s, {h.notice.notice_id: SMS for h in handed})
        async with self.sessions.begin() as s:
            await self.store.accept_all(s, handed)
        return [h.notice.notice_id for h in handed]

    async def reason(self, notice: str) -> str | None:
        sql = f"SELECT reason FROM {{s}}.notices WHERE notice_id = '{notice}'"
        return cast(str | None, await self._scalar(sql))

    async def state(self, notice: str) -> str:
        sql = f"SELECT state FROM {{s}}.notices WHERE notice_id = '{notice}'"
        return str(await self._scalar(sql))

    async def events(self, notice: str) -> list[str]:
        async with self.sessions() as s:
            rows = await s.execute(text(f'SELECT value FROM "{self.schema}".outbox ORDER BY id'))
            values = [v.decode() for (v,) in rows]
        return [v.split('"state":"')[1].split('"')[0] for v in values if notice in v]

    async def _scalar(self, sql: str) -> Any:
        async with self.sessions() as s:
            return (await s.execute(text(sql.replace("{s}", f'"{self.schema}"')))).scalar()


@pytest_asyncio.fixture
async def reports(
    database_url: str, db_engine: AsyncEngine, fresh_schema: str
) -> AsyncIterator[Reports]:
    await migrate(database_url, "notifier.migrations", fresh_schema)
    sessions = async_sessionmaker(db_engine, expire_on_commit=False)
    metrics = NotifierMetrics()
    store = NoticeStore(
        notifier_tables(fresh_schema), PinHasher(DEV_PIN_HMAC_KEY), "notices", metrics
    )
    app = create_app(sessions, store, FixedClock(NOW), SECRET)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://n") as c:
        yield Reports(c, store, sessions, fresh_schema)


async def test_a_report_settles_the_notice_and_its_duplicate_changes_nothing(
    reports: Reports,
) -> None:
    notice = await reports.accepted(1, "m-1")
    first = await reports.post("m-1", "DELIVERED")
    again = await reports.post("m-1", "DELIVERED", at="2026-03-02T10:00:06+04:00")
    assert (first.status_code, again.status_code) == (204, 204)
    assert await reports.state(notice) == "delivered"
    assert await reports.events(notice) == ["accepted", "delivered"]


async def test_a_later_different_report_does_not_overturn_the_first(reports: Reports) -> None:
    notice = await reports.accepted(2, "m-2")
    await reports.post("m-2", "EXPIRED", error="validity period expired")
    assert (await reports.post("m-2", "DELIVERED")).status_code == 204
    assert await reports.state(notice) == "expired"


async def test_a_report_that_comes_before_the_answer_is_applied_when_the_answer_comes(
    reports: Reports,
) -> None:
    assert (await reports.post("m-3", "FAILED", error="subscriber absent")).status_code == 204
    notice = await reports.accepted(3, "m-3")
    assert await reports.state(notice) == "failed"
    assert await reports.events(notice) == ["accepted", "failed"]


async def test_reports_taken_together_apply_in_their_order_as_one_by_one_would(
    reports: Reports,
) -> None:
    absent, delivered, failed = await reports.all_accepted({20: "m-20", 21: "m-21", 22: "m-22"})
    at = [datetime(2026, 3, 2, 10, 0, n, tzinfo=BAKU) for n in range(7)]
    batch = [
        ReportIn("m-20", "FAILED", "subscriber absent", at[0]),
        ReportIn("m-20", "DELIVERED", None, at[1]),  # later and different: the first stands
        ReportIn("m-21", "DELIVERED", None, at[2]),
        ReportIn("m-21", "DELIVERED", None, at[3]),  # a duplicate
        ReportIn("m-22", "FAILED", "rejected by the network", at[4]),
        ReportIn("m-22", "FAILED", None, at[5]),  # a duplicate without its error
        ReportIn("nobody-sent-this", "DELIVERED", None, at[6]),
    ]
    async with reports.sessions.begin() as s:
        await reports.store.take_reports(s, batch, NOW)
    assert [await reports.state(n) for n in (absent, delivered, failed)] == [
        "failed",
        "delivered",
        "failed",
    ]
    assert await reports.reason(absent) == "subscriber absent"
    assert await reports.reason(failed) == "rejected by the network"
    assert [await reports.events(n) for n in (absent, delivered, failed)] == [
        ["accepted", "failed"],
        ["accepted", "delivered"],
        ["accepted", "failed"],
    ]
    assert await reports._scalar("SELECT count(*) FROM {s}.delivery_reports") == 7


async def test_notices_accepted_together_each_take_the_report_that_came_first(
    reports: Reports,
) -> None:
    assert (await reports.post("m-31", "DELIVERED")).status_code == 204
    quiet, early = await reports.all_accepted({30: "m-30", 31: "m-31"})
    assert [await reports.state(n) for n in (quiet, early)] == ["accepted", "delivered"]
    assert await reports.events(early) == ["accepted", "delivered"]


async def test_early_reports_of_notices_accepted_together_apply_as_one_by_one_would(
    reports: Reports,
) -> None:
    """Reports that came before their acceptance are applied with it, in the order they
    came: a later different one changes nothing, a duplicate without its error keeps the
    reason, and a notice without a report stays accepted."""
    await reports.post("m-50", "FAILED", error="subscriber absent")
    await reports.post("m-51", "DELIVERED")
    await reports.post("m-50", "DELIVERED", at="2026-03-02T10:00:06+04:00")
    await reports.post("m-52", "FAILED", error="rejected by the network")
    await reports.post("m-52", "FAILED", at="2026-03-02T10:00:07+04:00")
    await reports.post("m-51", "DELIVERED", at="2026-03-02T10:00:08+04:00")
    absent, delivered, failed, quiet = await reports.all_accepted(
        {50: "m-50", 51: "m-51", 52: "m-52", 53: "m-53"}
    )
    states = [await reports.state(n) for n in (absent, delivered, failed, quiet)]
    assert states == ["failed", "delivered", "failed", "accepted"]
    assert await reports.reason(absent) == "subscriber absent"
    assert await reports.reason(failed) == "rejected by the network"
    assert [await reports.events(n) for n in (absent, delivered, failed, quiet)] == [
        ["accepted", "failed"],
        ["accepted", "delivered"],
        ["accepted", "failed"],
        ["accepted"],
    ]
    reported_at = f"SELECT reported_at FROM {{s}}.notices WHERE notice_id = '{failed}'"
    assert await reports._scalar(reported_at) == datetime(2026, 3, 2, 10, 0, 7, tzinfo=BAKU)


async def test_a_report_for_an_id_nobody_sent_does_no_harm(reports: Reports) -> None:
    notice = await reports.accepted(4, "m-4")
    assert (await reports.post("never-sent", "DELIVERED")).status_code == 204
    assert await reports.state(notice) == "accepted"


async def test_a_malformed_report_is_refused_with_422(reports: Reports) -> None:
    notice = await reports.accepted(5, "m-5")
    bad = [
        await reports.post("m-5", "READ"),
        await reports.post("", "DELIVERED"),
        await reports.post("m-5", "DELIVERED", at="2026-03-02T10:00:05"),
        await reports.signed(b"not json"),
        await reports.signed(b'{"message_id": "m-5"}'),
        await reports.post("m\x005", "DELIVERED"),
    ]
    assert [r.status_code for r in bad] == [422] * 6
    assert await reports.state(notice) == "accepted"


async def test_nobody_but_the_gateway_can_mark_an_sms_delivered(reports: Reports) -> None:
    notice = await reports.accepted(6, "m-6")
    report = {"message_id": "m-6", "status": "DELIVERED", "at": "2026-03-02T10:00:05+04:00"}
    body = json.dumps(report).encode()
    forged = [
        await reports.client.post("/v1/delivery-reports", content=body),
        await reports.signed(body, secret="a-guess-of-the-secret"),
        await reports.client.post(
            "/v1/delivery-reports", content=body, headers={HEADER: sign(SECRET, body + b" ")}
        ),
    ]
    assert [r.status_code for r in forged] == [401] * 3
    assert await reports.state(notice) == "accepted"
    assert (await reports.signed(body)).status_code == 204
    assert await reports.state(notice) == "delivered"


async def test_an_endless_report_is_cut_off_with_413(reports: Reports) -> None:
    body = b'{"message_id": "m-7", "error": "' + b"x" * 100_000 + b'"}'
    assert (await reports.signed(body)).status_code == 413
