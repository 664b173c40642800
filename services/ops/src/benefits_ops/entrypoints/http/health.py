"""``/healthz`` (the process answers), ``/readyz`` (PostgreSQL answers) and ``/metrics``
(Prometheus text, ``docs/observability.md``); no token needed."""

from __future__ import annotations

from benefits_shared.metrics import exposition
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import text

from benefits_ops.entrypoints.http.context import ops

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="The process can serve: its database answers",
    responses={503: {"description": "Its database does not answer"}},
)
async def readyz(request: Request) -> JSONResponse:
    try:
        async with ops(request).sessions() as s:
            await s.execute(text("SELECT 1"))
    except OSError:
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    body, content_type = exposition()
    return Response(body, media_type=content_type)
