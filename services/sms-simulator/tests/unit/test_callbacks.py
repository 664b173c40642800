"""The delivery reports' sender: how many are on the wire at once."""

from __future__ import annotations

import asyncio
from datetime import datetime

import httpx
from benefits_shared.clock import BAKU, FixedClock
from sms_simulator.adapters.callbacks import CallbackSender
from sms_simulator.delivery_reports import ReportPlan
from sms_simulator.messages import AcceptedMessage

AT = datetime(2026, 3, 2, 10, 0, tzinfo=BAKU)


def _message(n: int) -> AcceptedMessage:
    return AcceptedMessage(
        message_id=f"m{n}",
        idempotency_key=f"k{n}",
        fingerprint="f",
        to="+994501234567",
        text="Salam",
        sender="142",
        callback_url="http://callbacks.test/reports",
        segments=1,
        encoding="GSM-7",
        accepted_at=AT,
    )


async def _report_twenty(sender: CallbackSender) -> None:
    """Twenty delivered reports dispatched at once, waited for until all are taken."""
    plan = ReportPlan(status="DELIVERED", copies=1, delay_seconds=0.0, held=False)
    for n in range(20):
        sender.dispatch(_message(n), plan)
    async with asyncio.timeout(10):
        while len(sender.sent) < 20:
            await asyncio.sleep(0.01)
    await sender.close()


async def test_no_more_reports_are_posted_at_once_than_the_sender_allows() -> None:
    on_the_wire = 0
    most = 0
    taken: list[str] = []

    async def slow_receiver(request: httpx.Request) -> httpx.Response:
        nonlocal on_the_wire, most
        on_the_wire += 1
        most = max(most, on_the_wire)
        await asyncio.sleep(0.01)
        on_the_wire -= 1
        taken.append(request.content.decode())
        return httpx.Response(204)

    client = httpx.AsyncClient(transport=httpx.MockTransport(slow_receiver))
    sender = CallbackSender([client], FixedClock(AT), "secret", backoff=0.0, in_flight=3)
    await _report_twenty(sender)
    assert (most, len(taken)) == (3, 20)


async def test_reports_are_spread_over_the_pools_each_within_its_share() -> None:
    on_the_wire: dict[str, int] = {}
    most: dict[str, int] = {}

    def receiver(pool: str) -> httpx.MockTransport:
        async def slow(request: httpx.Request) -> httpx.Response:
            on_the_wire[pool] = on_the_wire.get(pool, 0) + 1
            most[pool] = max(most.get(pool, 0), on_the_wire[pool])
            await asyncio.sleep(0.01)
            on_the_wire[pool] -= 1
            return httpx.Response(204)

        return httpx.MockTransport(slow)

    clients = [httpx.AsyncClient(transport=receiver(name)) for name in ("a", "b")]
    sender = CallbackSender(clients, FixedClock(AT), "secret", backoff=0.0, in_flight=4)
    await _report_twenty(sender)
    assert most == {"a": 2, "b": 2}
