"""The unresolved queue: undecided cases, rejected payments, money owed to an estate,
recovery cases, undeliverable notices. Resolving an item (operator) is audited.
A parked notice's retry is the replay engineer's (``replay.py``): the page posts to
``/console/notices/{notice_id}/retry``. The queue is paged (``limit``, ``offset``), newest
first; the dashboard has the counts."""

from __future__ import annotations

import contextlib
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from benefits_ops.access import Caller, Role
from benefits_ops.adapters.unresolved_queue import PAGE_MAX, UnresolvedQueue
from benefits_ops.entrypoints.http.auth import needs, page_needs
from benefits_ops.entrypoints.http.context import OpsContext, ops
from benefits_ops.entrypoints.http.fields import Key, Note
from benefits_ops.errors import ActionRefused
from benefits_ops.unresolved import Item

router = APIRouter()
Category = Literal["undecided", "payment", "estate", "recovery", "notice"]
Limit = Annotated[int, Query(ge=1, le=PAGE_MAX, description="At most this many items")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Skip this many items")]
PAGE_SIZE = 200


class Resolve(BaseModel):
    key: Key = Field(description="The item's key")
    note: Note = Field(description="What was done")


async def queue(
    context: OpsContext, category: Category | None, limit: int, offset: int
) -> list[Item]:
    async with context.sessions() as s:
        return await UnresolvedQueue(context.tables).items(s, category, limit, offset)


async def resolve(context: OpsContext, caller: Caller, asked: Resolve) -> None:
    async with context.sessions.begin() as s:
        if not await UnresolvedQueue(context.tables).resolve(
            s, asked.key, caller.actor, asked.note
        ):
            raise ActionRefused(f"{asked.key} is already resolved")
        await context.audit.write(s, caller, "resolve", asked.key, asked.note)


@router.get("/api/v1/unresolved", tags=["unresolved"], summary="What needs a human")
async def api_queue(
    request: Request,
    caller: Annotated[Caller, Depends(needs(Role.VIEWER))],
    category: Category | None = None,
    limit: Limit = PAGE_MAX,
    offset: Offset = 0,
) -> list[Item]:
    return await queue(ops(request), category, limit, offset)


@router.post(
    "/api/v1/unresolved/resolve",
    tags=["unresolved"],
    status_code=204,
    summary="Mark an item resolved, with what was done (audited)",
)
async def api_resolve(
    request: Request, asked: Resolve, caller: Annotated[Caller, Depends(needs(Role.OPERATOR))]
) -> Response:
    await resolve(ops(request), caller, asked)
    return Response(status_code=204)


@router.get("/console/unresolved", response_class=HTMLResponse, include_in_schema=False)
async def page(
    request: Request,
    caller: Annotated[Caller, Depends(page_needs(Role.VIEWER))],
    category: Category | None = None,
    offset: Offset = 0,
) -> Response:
    context = ops(request)
    items = await queue(context, category, PAGE_SIZE, offset)
    page = {
        "newer": max(offset - PAGE_SIZE, 0) if offset else None,
        "older": offset + PAGE_SIZE if len(items) == PAGE_SIZE else None,
    }
    values = {"caller": caller, "items": items, "category": category, "page": page}
    return context.templates.TemplateResponse(request, "unresolved.html", values)


@router.post("/console/unresolved/resolve", include_in_schema=False)
async def page_resolve(
    request: Request,
    key: Annotated[str, Form()],
    note: Annotated[str, Form()],
    caller: Annotated[Caller, Depends(page_needs(Role.OPERATOR))],
) -> Response:
    # Already resolved, or an empty note: the page shows the queue as it is.
    with contextlib.suppress(ValueError, ActionRefused):
        await resolve(ops(request), caller, Resolve(key=key, note=note))
    return RedirectResponse("/console/unresolved", status_code=303)
