"""Wires the notifier once: the only reader of settings.

One process runs, stopped together on SIGTERM by the ``ServiceRuntime``: the Kafka
consumer loop (records notices), the outbox relay (publishes ``NoticeChanged``), the
sender (hands due notices to the SMS gateway) and the HTTP edge (delivery reports,
``/metrics``) on 127.0.0.1.
"""

from __future__ import annotations

import time
from datetime import timedelta

import httpx
from benefits_shared import hedging
from benefits_shared.circuit_breaker import CircuitBreaker
from benefits_shared.clock import BAKU, Clock, FixedClock, SystemClock
from benefits_shared.doorbell import Doorbell
from benefits_shared.http_transport import KEEP_ALIVE_SECONDS, AiohttpTransport
from benefits_shared.kafka.awaited_loop import AwaitedTopicLoop
from benefits_shared.kafka.consumer_loop import LoopSettings
from benefits_shared.metrics import BREAKER_STATES, CIRCUIT_BREAKER_STATE
from benefits_shared.partner_calls import MeteredTransport
from benefits_shared.retry_policies import RetryPolicy
from benefits_shared.service_runtime import ServiceRuntime, decode_contract

from notifier.adapters.mirror_store import MirrorStore
from notifier.adapters.notice_store import NoticeStore
from notifier.adapters.parking import Parking
from notifier.adapters.sms_gateway import SmsGateway
from notifier.adapters.tables import notifier_tables
from notifier.config import NotifierSettings
from notifier.entrypoints.event_handler import APPLIES, EventHandler
from notifier.entrypoints.http_api import create_app
from notifier.entrypoints.http_server import HttpServer
from notifier.entrypoints.ops_commands import OpsCommandHandler
from notifier.entrypoints.send_worker import SendPolicy, SendWorker
from notifier.metrics import NotifierMetrics
from notifier.outgoing_sms import Sending
from notifier.pacing import Pacer
from notifier.send_window import SendWindow

#: Connections besides the senders': consumer loops, relay, delivery reports, sweeps.
OTHER_CONNECTIONS = 6
#: A hand-over may take this much longer than the HTTP time-out (connecting, writing).
CALL_SLACK_SECONDS = 5.0


def clock_of(settings: NotifierSettings) -> Clock:
    """``NOTIFIER_FIXED_TIME`` pins the clock (a naive time is Baku's); else the system's."""
    pinned = settings.notifier_fixed_time
    if pinned is None:
        return SystemClock()
    return FixedClock(pinned if pinned.tzinfo else pinned.replace(tzinfo=BAKU))


def send_policy(settings: NotifierSettings) -> SendPolicy:
    breaker = CircuitBreaker(
        settings.notifier_breaker_failures,
        settings.notifier_breaker_cooldown_seconds,
        time.monotonic,
        window=settings.notifier_breaker_window,
    )
    CIRCUIT_BREAKER_STATE.labels(breaker="sms-gateway").set_function(
        lambda: BREAKER_STATES[breaker.state.value]
    )
    return SendPolicy(
        pacer=Pacer(settings.notifier_send_rate, time.monotonic),
        breaker=breaker,
        retry=RetryPolicy(
            settings.notifier_backoff_initial_seconds, settings.notifier_backoff_max_seconds
        ),
        report_wait=timedelta(seconds=settings.notifier_report_wait_seconds),
        idle_seconds=settings.notifier_idle_poll_seconds,
        max_attempts=settings.notifier_max_attempts,
        window=SendWindow(settings.notifier_send_concurrency, time.monotonic),
        lanes=settings.send_lanes,
        call_seconds=settings.notifier_gateway_timeout_seconds + CALL_SLACK_SECONDS,
    )


def gateway_http(settings: NotifierSettings) -> httpx.AsyncClient:
    """Kept-alive connections, one per call a lane may have in flight (the call and its
    hedged copies): no call or copy waits to connect."""
    most = hedging.IN_FLIGHT_PER_CALL * settings.send_lanes
    limits = httpx.Limits(
        max_connections=most, max_keepalive_connections=most, keepalive_expiry=KEEP_ALIVE_SECONDS
    )
    return httpx.AsyncClient(
        timeout=settings.notifier_gateway_timeout_seconds,
        transport=MeteredTransport("sms-gateway", AiohttpTransport(limits)),
    )


async def run(settings: NotifierSettings) -> None:
    schema = settings.notifier_schema
    # A lane holds a connection to claim a notice and to write the outcome, never during
    # the call (ADR 18): the window, not the lanes, sizes the pool.
    pool = settings.notifier_send_concurrency + OTHER_CONNECTIONS
    runtime = ServiceRuntime("notifier", settings, schema, "notifier.migrations", pool)
    await runtime.start()
    tables, clock, metrics = notifier_tables(schema), clock_of(settings), NotifierMetrics()
    notices = NoticeStore(tables, runtime.hasher, settings.notifier_notices_topic, metrics)
    account_wait = timedelta(seconds=settings.notifier_account_wait_seconds)
    doorbell = Doorbell()  # the consumer rings the senders when it has recorded notices
    handler = EventHandler(runtime.sessions, tables, notices, clock, account_wait, doorbell)
    loop = runtime.consumer_loop(
        settings.notifier_group,
        settings.notifier_input_topics,
        handler.handle,
        settings.notifier_batch_max,
        APPLIES,
    )
    parking = Parking(tables, runtime.hasher, settings.notifier_notices_topic, metrics)
    commands, replies, group = settings.ops_topics()
    ops = OpsCommandHandler(runtime.sessions, tables, parking, replies, clock)
    ops_loop = AwaitedTopicLoop(
        runtime.kafka,
        runtime.producer,
        decode_contract,
        ops.handle,
        LoopSettings(group, 100),
        commands,
    )
    client = gateway_http(settings)
    worker = SendWorker(
        runtime.sessions,
        notices,
        MirrorStore(tables),
        SmsGateway(client, settings.sms_gateway_url, settings.notifier_hedge_after_seconds),
        clock,
        Sending(settings.notifier_sender, settings.callback_url),
        send_policy(settings),
        metrics,
        parking,
        doorbell,
    )
    secret = settings.sms_report_secret.get_secret_value()
    app = create_app(runtime.sessions, notices, clock, secret)
    server = HttpServer(app, settings.notifier_http_host, settings.notifier_http_port)
    try:
        await runtime.run(loop, runtime.outbox_relay(), worker, server, ops_loop)
    finally:
        await client.aclose()
