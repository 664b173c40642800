"""Wires the simulator: the only reader of settings. Nothing runs at import time.

``create_app`` is the app factory (``uvicorn --factory sms_simulator.bootstrap:create_app``);
tests call ``build`` with fakes: a fixed clock, scripted dice, an ``httpx`` transport for the
callbacks.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from benefits_shared.clock import Clock, SystemClock
from benefits_shared.http_transport import AiohttpTransport
from fastapi import FastAPI
from simulator_kit.faults import Chance, RandomChance
from simulator_kit.rate_limit import TokenBucket

from sms_simulator.adapters.callbacks import POOLS, CallbackSender, pool_limits
from sms_simulator.adapters.journal_file import JournalFile, NoJournal
from sms_simulator.config import FaultSettings, SimulatorSettings
from sms_simulator.entrypoints import admin_api, gateway_api
from sms_simulator.faults import Faults, FaultSwitch
from sms_simulator.gateway import Gateway, GatewayParts
from sms_simulator.messages import MessageBook, Sink

CALLBACK_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Simulator:
    app: FastAPI
    gateway: Gateway
    faults: FaultSwitch
    sender: CallbackSender

    async def close(self) -> None:
        await self.sender.close()


def build(
    settings: SimulatorSettings,
    faults: Faults,
    *,
    clock: Clock | None = None,
    chance: Chance | None = None,
    monotonic: Callable[[], float] = time.monotonic,
    callback_transport: httpx.AsyncBaseTransport | None = None,
    callback_backoff: float = 0.5,
) -> Simulator:
    clock = clock or SystemClock()
    clients = [
        httpx.AsyncClient(
            transport=callback_transport or AiohttpTransport(pool_limits()),
            timeout=CALLBACK_TIMEOUT_SECONDS,
        )
        for _ in range(POOLS)
    ]
    secret = settings.sms_report_secret.get_secret_value()
    sender = CallbackSender(clients, clock, secret, backoff=callback_backoff)
    switch = FaultSwitch(faults)
    gateway = Gateway(
        GatewayParts(
            faults=switch,
            chance=chance or RandomChance(settings.sms_sim_seed),
            bucket=TokenBucket(monotonic),
            book=_book(settings),
            reports=sender,
            clock=clock,
            new_message_id=lambda: uuid.uuid4().hex,
        )
    )
    return Simulator(_app(gateway, switch, sender), gateway, switch, sender)


def create_app() -> FastAPI:
    return build(SimulatorSettings(), FaultSettings().faults()).app


def _book(settings: SimulatorSettings) -> MessageBook:
    if settings.sms_sim_journal is None:
        return MessageBook(NoJournal())
    journal = JournalFile(settings.sms_sim_journal)
    sink: Sink = journal
    return MessageBook(sink, journal.load())


def _app(gateway: Gateway, switch: FaultSwitch, sender: CallbackSender) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await sender.close()

    app = FastAPI(title="SMS gateway simulator", lifespan=lifespan)
    app.include_router(gateway_api.router(gateway))
    app.include_router(admin_api.router(switch, gateway.book, sender))
    gateway_api.install_refusals(app)
    return app
