"""Wires the ops service once: the only reader of settings.

One process runs, stopped together on SIGTERM by the ``ServiceRuntime``: the projection
(consumer group ``ops-projection`` over every catalog topic and its ``.dlq``), the HTTP
edge (API and console) on ``OPS_HTTP_HOST:OPS_HTTP_PORT``, and the lag watch (every
group's position on the broker, as metrics).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from importlib import resources

from aiokafka import AIOKafkaProducer
from benefits_shared.db.migrations import migrate
from benefits_shared.db.sessions import make_engine, session_factory
from benefits_shared.pin import PinHasher
from benefits_shared.service_runtime import ServiceRuntime
from fastapi import FastAPI
from fastapi.templating import Jinja2Templates
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from benefits_ops.access import Caller, Role
from benefits_ops.adapters.audit_log import AuditLog
from benefits_ops.adapters.kafka_records import KafkaRecords
from benefits_ops.adapters.projection_store import ProjectionStore
from benefits_ops.adapters.tables import ops_tables
from benefits_ops.adapters.token_store import TokenRow, TokenStore
from benefits_ops.config import OpsSettings
from benefits_ops.entrypoints.http.app import create_app
from benefits_ops.entrypoints.http.context import OpsContext
from benefits_ops.entrypoints.http_server import HttpServer
from benefits_ops.entrypoints.projection_handler import ProjectionHandler, raw
from benefits_ops.lag_watch import LagWatch
from benefits_ops.pin_redaction import PinRedactor
from benefits_ops.presentation import install_filters
from benefits_ops.replay.actions import PART, replay_parts

MIGRATIONS = "benefits_ops.migrations"


def templates() -> Jinja2Templates:
    folder = resources.files("benefits_ops") / "templates"
    built = Jinja2Templates(directory=str(folder))
    install_filters(built.env)
    return built


def build_app(
    settings: OpsSettings,
    sessions: async_sessionmaker[AsyncSession],
    hasher: PinHasher,
    producer: AIOKafkaProducer,
) -> FastAPI:
    kafka = KafkaRecords(settings.kafka(), producer)
    tables = ops_tables(settings.ops_schema)
    context = OpsContext(
        sessions,
        tables,
        hasher,
        templates(),
        kafka,
        settings.ops_topics,
        settings.ops_cookie_secure,
    )
    context.parts[PART] = replay_parts(producer, settings.ops_topics, tables)
    return create_app(context)


async def run(settings: OpsSettings) -> None:
    runtime = ServiceRuntime("ops", settings, settings.ops_schema, MIGRATIONS)
    await runtime.start()
    tables = ops_tables(settings.ops_schema)
    handler = ProjectionHandler(
        runtime.sessions, ProjectionStore(tables), PinRedactor(runtime.hasher)
    )
    loop = runtime.consumer_loop_of(
        raw, settings.ops_group, settings.ops_topics, handler.handle, settings.ops_batch_max
    )
    app = build_app(settings, runtime.sessions, runtime.hasher, runtime.producer)
    server = HttpServer(app, settings.ops_http_host, settings.ops_http_port)
    lag = LagWatch(settings.kafka(), settings.ops_topics)
    await runtime.run(loop, server, lag)


class TokenAdmin:
    """What ``benefits-ops tokens`` does, on the ops schema (migrated first if needed)."""

    def __init__(self, settings: OpsSettings) -> None:
        self._settings = settings
        self._tables = ops_tables(settings.ops_schema)

    async def create(self, name: str, role: Role, actor: str) -> tuple[str, str]:
        async with self._session() as (s, tokens, audit):
            token_id, secret = await tokens.create(s, name, role, actor)
            details = {"name": name, "role": role.value}
            await audit.write(s, _cli(actor), "token.create", token_id, details=details)
            return token_id, secret

    async def all(self) -> list[TokenRow]:
        async with self._session() as (s, tokens, _):
            return await tokens.all(s)

    async def revoke(self, token_id: str, actor: str) -> bool:
        async with self._session() as (s, tokens, audit):
            done = await tokens.revoke(s, token_id)
            if done:
                await audit.write(s, _cli(actor), "token.revoke", token_id)
            return done

    @contextlib.asynccontextmanager
    async def _session(self) -> AsyncIterator[tuple[AsyncSession, TokenStore, AuditLog]]:
        url, schema = self._settings.database_url, self._settings.ops_schema
        await migrate(url, MIGRATIONS, schema)
        engine = make_engine(url)
        try:
            async with session_factory(engine).begin() as s:
                yield s, TokenStore(self._tables), AuditLog(self._tables)
        finally:
            await engine.dispose()


def _cli(actor: str) -> Caller:
    return Caller("cli", actor, Role.ADMIN)


def token_admin() -> TokenAdmin:
    return TokenAdmin(OpsSettings())
