"""Wires the gateway once: the only reader of settings.

The service is four parts run and stopped together (``ServiceRuntime``): migrations at
start, the consumer of decisions and clock ticks, the outbox relay of ``payments``, and
the payment worker, the only part that calls the bank.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
from benefits_shared import hedging
from benefits_shared.circuit_breaker import CircuitBreaker
from benefits_shared.clock import Clock, SystemClock
from benefits_shared.db.migrations import migrate
from benefits_shared.db.outbox import add_to_outbox
from benefits_shared.db.sessions import make_engine, session_factory
from benefits_shared.doorbell import Doorbell
from benefits_shared.http_transport import KEEP_ALIVE_SECONDS, AiohttpTransport
from benefits_shared.metrics import BREAKER_STATES, CIRCUIT_BREAKER_STATE
from benefits_shared.partner_calls import MeteredTransport
from benefits_shared.pin import PinHasher
from benefits_shared.retry_policies import RetryPolicy
from benefits_shared.service_runtime import ServiceRuntime
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bank_gateway.account_requests import AccountRequests
from bank_gateway.adapters.bank_client import BankClient
from bank_gateway.adapters.stores import Stores
from bank_gateway.adapters.tables import gateway_tables
from bank_gateway.bank_calls import BankCalls
from bank_gateway.case_updates import CaseUpdates
from bank_gateway.config import BankGatewaySettings
from bank_gateway.document_flow import DocumentFlow
from bank_gateway.entrypoints.event_handler import EventHandler
from bank_gateway.entrypoints.payment_worker import PaymentWorker
from bank_gateway.errors import MonthNotClosed
from bank_gateway.pain001 import Debtor
from bank_gateway.payment_events import PaymentEvents
from bank_gateway.payroll import first_of_month
from bank_gateway.payroll_run import PayrollRun, RunResult
from bank_gateway.settlement import Settlement

log = logging.getLogger(__name__)
MIGRATIONS = "bank_gateway.migrations"
STARTED = "bank gateway started"
LINGER_SECONDS = 1.0


@dataclass(frozen=True)
class Gateway:
    handler: EventHandler
    worker: PaymentWorker
    stores: Stores


def build(
    settings: BankGatewaySettings,
    sessions: async_sessionmaker[AsyncSession],
    hasher: PinHasher,
    http: httpx.AsyncClient,
    clock: Clock,
) -> Gateway:
    """The handler and the worker over one schema and one bank."""
    stores = Stores.over(
        gateway_tables(settings.gateway_schema),
        hasher,
        lease=timedelta(seconds=3 * settings.bank_timeout_seconds + 1),
    )
    events = PaymentEvents(settings.gateway_payments_topic, hasher, clock, settings.bank_name)
    updates = CaseUpdates(stores, events, hasher)
    doorbell = Doorbell()  # the consumer wakes the account lane when it asks for accounts
    handler = EventHandler(sessions, stores.tables, updates, PayrollRun(stores, events), doorbell)
    breaker = CircuitBreaker(
        settings.gateway_breaker_failures,
        settings.gateway_breaker_open_seconds,
        window=settings.gateway_breaker_window,
    )
    CIRCUIT_BREAKER_STATE.labels(breaker="bank").set_function(
        lambda: BREAKER_STATES[breaker.state.value]
    )
    bank = BankClient(http, breaker, settings.bank_hedge_after_seconds)
    retry = RetryPolicy(settings.gateway_retry_base_seconds, settings.gateway_retry_max_seconds)
    calls = BankCalls(settings.gateway_concurrency, retry, clock, breaker, settings.calls_in_flight)
    documents = DocumentFlow(
        sessions,
        stores,
        bank,
        Settlement(stores, events, updates),
        calls,
        Debtor(settings.agency_name, settings.agency_iban, settings.agency_bank_bic),
        settings.gateway_document_size,
        LINGER_SECONDS,
        timedelta(seconds=settings.gateway_status_poll_seconds),
    )
    # The lease (3 time-outs and a second) covers a call (at most a hedge's wait and a
    # time-out) after a wait in hand of at most one time-out.
    accounts = AccountRequests(sessions, stores, bank, events, calls, settings.bank_timeout_seconds)
    worker = PaymentWorker(accounts, documents, calls, settings.gateway_idle_seconds, doorbell)
    return Gateway(handler, worker, stores)


def bank_http(settings: BankGatewaySettings) -> httpx.AsyncClient:
    """One pool of kept-alive connections, one per call in flight and per hedged copy
    each may have: no call or copy waits to connect."""
    slots = hedging.IN_FLIGHT_PER_CALL * settings.calls_in_flight
    limits = httpx.Limits(
        max_connections=slots, max_keepalive_connections=slots, keepalive_expiry=KEEP_ALIVE_SECONDS
    )
    return httpx.AsyncClient(
        base_url=settings.bank_url(),
        timeout=settings.bank_timeout_seconds,
        transport=MeteredTransport("bank", AiohttpTransport(limits)),
    )


async def run(settings: BankGatewaySettings) -> None:
    runtime = ServiceRuntime("bank-gateway", settings, settings.gateway_schema, MIGRATIONS)
    await runtime.start()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per call is noise
    async with bank_http(settings) as http:
        gateway = build(settings, runtime.sessions, runtime.hasher, http, SystemClock())
        loop = runtime.consumer_loop(
            settings.gateway_group,
            settings.gateway_input_topics,
            gateway.handler.handle,
            settings.gateway_batch_max,
        )
        log.info(STARTED, extra={"schema": settings.gateway_schema, "bank": settings.bank_url()})
        await runtime.run(loop, runtime.outbox_relay(), gateway.worker)


async def run_payroll(settings: BankGatewaySettings, month: date, clock: Clock) -> RunResult:
    """``bank-gateway payroll --month``: store the month's payments; the service pays them."""
    if first_of_month(month) >= first_of_month(clock.today()):
        raise MonthNotClosed(f"{month:%Y-%m} has not ended: payroll is paid in arrears")
    await migrate(settings.database_url, MIGRATIONS, settings.gateway_schema)
    engine = make_engine(settings.database_url)
    try:
        hasher = _hasher(settings)
        stores = Stores.over(gateway_tables(settings.gateway_schema), hasher, timedelta())
        events = PaymentEvents(settings.gateway_payments_topic, hasher, clock, settings.bank_name)
        payroll = PayrollRun(stores, events)
        async with session_factory(engine).begin() as s:
            await payroll.lock(s)
            result = await payroll.run(s, month, "manual", arrears=False)
            await add_to_outbox(s, stores.tables.outbox, list(result.events))
            return result
    finally:
        await engine.dispose()


def _hasher(settings: BankGatewaySettings) -> PinHasher:
    return PinHasher(settings.pin_hmac_key.get_secret_value())
