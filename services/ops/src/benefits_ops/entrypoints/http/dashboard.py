"""The dashboard (being built): what moves, what waits."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from benefits_ops.access import Caller, Role
from benefits_ops.entrypoints.http.auth import page_needs
from benefits_ops.entrypoints.http.context import ops

router = APIRouter()


@router.get("/console", response_class=HTMLResponse, include_in_schema=False)
async def page(
    request: Request, caller: Annotated[Caller, Depends(page_needs(Role.VIEWER))]
) -> Response:
    values = {"caller": caller, "active": "dashboard"}
    return ops(request).templates.TemplateResponse(request, "dashboard.html", values)
