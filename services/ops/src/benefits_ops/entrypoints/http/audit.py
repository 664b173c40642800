"""The audit log, newest first (admin only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from benefits_ops.access import Caller, Role
from benefits_ops.adapters.audit_log import AuditEntry
from benefits_ops.entrypoints.http.auth import needs, page_needs
from benefits_ops.entrypoints.http.context import OpsContext, ops

router = APIRouter()


async def entries(context: OpsContext, limit: int, before: int | None) -> list[AuditEntry]:
    async with context.sessions() as s:
        return await context.audit.latest(s, limit, before)


@router.get("/api/v1/audit", tags=["audit"], summary="The audit log, newest first")
async def api_audit(
    request: Request,
    caller: Annotated[Caller, Depends(needs(Role.ADMIN))],
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> list[AuditEntry]:
    return await entries(ops(request), limit, before)


@router.get("/console/audit", response_class=HTMLResponse, include_in_schema=False)
async def page(
    request: Request, caller: Annotated[Caller, Depends(page_needs(Role.ADMIN))]
) -> Response:
    context = ops(request)
    values = {"caller": caller, "entries": await entries(context, 200, None)}
    return context.templates.TemplateResponse(request, "audit.html", values)
