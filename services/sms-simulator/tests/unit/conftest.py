"""A simulator driven through ``httpx.ASGITransport``; its callbacks land in ``reports``."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import pytest
from benefits_shared.clock import BAKU, FixedClock
from benefits_shared.report_signature import HEADER, is_signed_by
from simulator_kit.faults import RandomChance
from sms_simulator.bootstrap import Simulator, build
from sms_simulator.config import SimulatorSettings
from sms_simulator.faults import Faults

CALLBACK = "http://callbacks.test/reports"


@dataclass
class Ticker:
    """A monotonic clock that moves only when a test moves it."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Callbacks:
    """The receiving end of the delivery reports."""

    reports: list[dict[str, Any]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    refuse_first: list[int] = field(default_factory=list)
    #: The secret the reports must be signed with (the settings' default).
    secret: str = SimulatorSettings().sms_report_secret.get_secret_value()

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.refuse_first:
            return httpx.Response(self.refuse_first.pop(0))
        if not is_signed_by(self.secret, request.content, request.headers.get(HEADER)):
            return httpx.Response(401)  # as the notifier answers (ADR 0017)
        self.reports.append(json.loads(request.content))
        self.arrived.set()
        return httpx.Response(204)

    async def wait_for(self, count: int) -> list[dict[str, Any]]:
        async with asyncio.timeout(10):
            while len(self.reports) < count:
                self.arrived.clear()
                await self.arrived.wait()
        return self.reports


@dataclass
class Harness:
    simulator: Simulator
    client: httpx.AsyncClient
    callbacks: Callbacks
    ticker: Ticker

    async def send(
        self, key: str | None = "key-1", *, text: str = "Salam", to: str = "+994501234567"
    ) -> httpx.Response:
        body = {"to": to, "text": text, "sender": "142", "callback_url": CALLBACK}
        headers = {"Idempotency-Key": key} if key is not None else {}
        return await self.client.post("/v1/messages", json=body, headers=headers)

    async def faults(self, **changes: Any) -> httpx.Response:
        return await self.client.post("/_sim/faults", json=changes)

    async def messages(self) -> list[dict[str, Any]]:
        answer: list[dict[str, Any]] = (await self.client.get("/_sim/messages")).json()
        return answer


def start(faults: Faults, settings: SimulatorSettings | None = None) -> Harness:
    callbacks = Callbacks()
    ticker = Ticker()
    simulator = build(
        settings or SimulatorSettings(),
        faults,
        clock=FixedClock(datetime(2026, 3, 2, 10, 0, tzinfo=BAKU)),
        chance=RandomChance(seed=7),
        monotonic=ticker,
        callback_transport=httpx.MockTransport(callbacks.handle),
        callback_backoff=0.0,
    )
    transport = httpx.ASGITransport(app=simulator.app)
    client = httpx.AsyncClient(transport=transport, base_url="http://sms.test")
    return Harness(simulator, client, callbacks, ticker)


StartSim = Callable[..., Awaitable[Harness]]


@pytest.fixture
async def start_sim() -> AsyncIterator[StartSim]:
    """``await start_sim(outage=True, ...)``: a simulator with these faults at start."""
    started: list[Harness] = []

    async def _start(settings: SimulatorSettings | None = None, **faults: Any) -> Harness:
        harness = start(Faults(**{"report_delay_seconds": 0.0, **faults}), settings)
        started.append(harness)
        return harness

    yield _start
    for harness in started:
        await harness.client.aclose()
        await harness.simulator.close()


@pytest.fixture
async def sim(start_sim: StartSim) -> Harness:
    return await start_sim()
