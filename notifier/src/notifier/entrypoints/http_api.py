"""The notifier's HTTP edge, served on 127.0.0.1 inside the notifier process.

- ``POST /v1/delivery-reports``: the ``callback_url`` given to the gateway (partners.md:
  ``{"message_id", "status": "DELIVERED" | "FAILED" | "EXPIRED", "error", "at"}``), signed
  by the gateway (``X-Report-Signature``, ADR 0017): unsigned or badly signed answers
  ``401`` before the body is read, a body over 16 KiB ``413``, a malformed one ``422``. A
  duplicate, a late report or one for a message id we do not know (yet) answers ``204``
  and changes nothing it should not. It answers once the report is committed; reports
  that come in while others are being written share the next transaction (group commit,
  applied in the order of their message ids, so that two batches lock alike).
- ``GET /metrics``: Prometheus text, the notifier's families and the shared ones.
- ``GET /health``: the process is up.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from benefits_shared.clock import Clock
from benefits_shared.db.group_commit import GroupCommit
from benefits_shared.metrics import exposition
from benefits_shared.report_signature import HEADER
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifier.adapters.notice_store import NoticeStore, ReportIn
from notifier.entrypoints.delivery_reports import MAX_REPORT_BYTES, DeliveryReport, read_report
from notifier.errors import ReportRefused, UnsignedReport

log = logging.getLogger(__name__)


async def bounded_body(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it is longer than ``limit`` (the rest is not read)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def create_app(
    sessions: async_sessionmaker[AsyncSession],
    notices: NoticeStore,
    clock: Clock,
    report_secret: str,
) -> FastAPI:
    app = FastAPI(title="notifier", docs_url=None, redoc_url=None)

    async def take_all(s: AsyncSession, reports: Sequence[DeliveryReport]) -> None:
        taken = [ReportIn(r.message_id.strip(), r.status, r.error, r.at) for r in reports]
        await notices.take_reports(s, taken, clock.now())

    reports = GroupCommit(sessions, take_all)

    @app.post("/v1/delivery-reports", status_code=204)
    async def delivery_report(request: Request) -> Response:
        body = await bounded_body(request, MAX_REPORT_BYTES)
        if body is None:
            return _refused(413, "a report is at most 16 KiB")
        try:
            report = read_report(body, request.headers.get(HEADER), report_secret)
        except ReportRefused as refused:
            return _refused(401 if isinstance(refused, UnsignedReport) else 422, str(refused))
        await reports.write(report)
        return Response(status_code=204)

    @app.get("/metrics")
    async def prometheus() -> Response:
        body, content_type = exposition()
        return Response(body, media_type=content_type)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def _refused(status: int, reason: str) -> Response:
    log.warning("delivery report refused", extra={"status": status, "reason": reason})
    return JSONResponse({"detail": reason}, status_code=status)
