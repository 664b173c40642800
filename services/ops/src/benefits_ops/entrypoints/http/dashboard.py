"""The dashboard: events/s, consumer lag per group, queue sizes, payments and SMS today."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from benefits_shared.clock import BAKU
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from benefits_ops.access import Caller, Role
from benefits_ops.adapters.dashboard_figures import DashboardFigures, Figures
from benefits_ops.adapters.unresolved_queue import UnresolvedQueue
from benefits_ops.entrypoints.http.auth import needs, page_needs
from benefits_ops.entrypoints.http.context import OpsContext, ops

router = APIRouter()


class Dashboard(BaseModel):
    at: datetime
    figures: Figures
    unresolved: dict[str, int]
    consumer_lag: dict[str, int]
    lag_error: str | None = None


async def dashboard(context: OpsContext) -> Dashboard:
    now = datetime.now(BAKU)
    async with context.sessions() as s:
        figures = await DashboardFigures(context.tables).read(s, now)
        unresolved = await UnresolvedQueue(context.tables).counts(s)
    lag, error = await context.lag()
    return Dashboard(
        at=now,
        figures=figures,
        unresolved=unresolved,
        consumer_lag=lag,
        lag_error=error,
    )


@router.get("/api/v1/dashboard", tags=["dashboard"], summary="What moves and what waits")
async def api_dashboard(
    request: Request, caller: Annotated[Caller, Depends(needs(Role.VIEWER))]
) -> Dashboard:
    return await dashboard(ops(request))


@router.get("/console", response_class=HTMLResponse, include_in_schema=False)
async def page(
    request: Request, caller: Annotated[Caller, Depends(page_needs(Role.VIEWER))]
) -> Response:
    context = ops(request)
    values = {"caller": caller, "active": "dashboard", "d": await dashboard(context)}
    return context.templates.TemplateResponse(request, "dashboard.html", values)
