"""The notifier's HTTP edge, served on 127.0.0.1 inside the notifier process.

- ``POST /v1/delivery-reports``: the ``callback_url`` given to the gateway (partners.md:
  ``{"message_id", "status": "DELIVERED" | "FAILED" | "EXPIRED", "error", "at"}``). A
  duplicate, a late report or one for a message id we do not know (yet) answers ``204``
  and changes nothing it should not; a malformed body answers ``422``.
- ``GET /metrics``: Prometheus text, the notifier's families and the shared ones.
- ``GET /health``: the process is up.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from benefits_shared.clock import Clock
from benefits_shared.metrics import exposition
from fastapi import FastAPI, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier.adapters.notice_store import NoticeStore


class DeliveryReport(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    message_id: str = Field(min_length=1, max_length=128)
    status: Literal["DELIVERED", "FAILED", "EXPIRED"]
    error: str | None = Field(default=None, max_length=1000)
    at: AwareDatetime


def create_app(
    sessions: async_sessionmaker[AsyncSession],
    notices: NoticeStore,
    clock: Clock,
) -> FastAPI:
    app = FastAPI(title="notifier", docs_url=None, redoc_url=None)

    @app.post("/v1/delivery-reports", status_code=204)
    async def delivery_report(report: DeliveryReport) -> Response:
        at: datetime = report.at
        async with sessions.begin() as s:
            await notices.take_report(
                s, report.message_id.strip(), report.status, report.error, at, clock.now()
            )
        return Response(status_code=204)

    @app.get("/metrics")
    async def prometheus() -> Response:
        body, content_type = exposition()
        return Response(body, media_type=content_type)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
