"""What every route needs, built once by ``bootstrap.py`` and kept on ``app.state.ops``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiokafka.errors import KafkaError
from benefits_shared.pin import PinHasher
from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from benefits_ops.adapters.audit_log import AuditLog
from benefits_ops.adapters.kafka_records import KafkaRecords, consumer_lag
from benefits_ops.adapters.tables import OpsTables
from benefits_ops.adapters.token_store import TokenStore


@dataclass
class OpsContext:
    sessions: async_sessionmaker[AsyncSession]
    tables: OpsTables
    hasher: PinHasher
    templates: Jinja2Templates
    kafka: KafkaRecords
    topics: tuple[str, ...] = ()
    cookie_secure: bool = False
    tokens: TokenStore = field(init=False)
    audit: AuditLog = field(init=False)
    #: Adapters of other areas (dead letters, redrive, Kafka lag, replay), by name.
    parts: dict[str, Any] = field(default_factory=dict)

    async def lag(self) -> tuple[dict[str, int], str | None]:
        """Consumer lag per group over this service's topics; an error instead of a 500."""
        try:
            return await consumer_lag(self.kafka.bootstrap, self.topics), None
        except (KafkaError, OSError) as exc:
            return {}, repr(exc)[:300]

    def __post_init__(self) -> None:
        self.tokens = TokenStore(self.tables)
        self.audit = AuditLog(self.tables)


def ops(request: Request) -> OpsContext:
    context: OpsContext = request.app.state.ops
    return context
