"""``/healthz`` (the process answers) and ``/readyz`` (PostgreSQL answers); no token needed."""

from __future__ import annotations

from fastapi import APIRouter, Request
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
