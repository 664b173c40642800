"""Citizen lookup and timeline. The PIN travels in the request body (never in a URL, which
proxies log), is hashed at once, and every lookup is written to the audit log with its
reason, which is required (a 142 call reference, a case): the log says why as well as who."""

from __future__ import annotations

from typing import Annotated

from benefits_shared.pin import PIN_PATTERN
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from benefits_ops.access import Caller, Role
from benefits_ops.adapters.citizen_history import CitizenHistory
from benefits_ops.entrypoints.http.auth import needs, page_needs
from benefits_ops.entrypoints.http.context import OpsContext, ops
from benefits_ops.entrypoints.http.fields import Reason
from benefits_ops.timeline import Timeline, build

router = APIRouter()


class Lookup(BaseModel):
    pin: str = Field(pattern=f"^{PIN_PATTERN.pattern}$", description="The citizen's PIN")
    reason: Reason = Field(description="Why (audited), e.g. a 142 call reference")


async def timeline_of(context: OpsContext, caller: Caller, lookup: Lookup) -> Timeline:
    subject = context.hasher.digest(lookup.pin)
    async with context.sessions.begin() as s:
        await context.audit.write(s, caller, "citizen.lookup", f"pin#{subject}", lookup.reason)
        history = CitizenHistory(context.tables)
        family = await history.family(s, subject)
        events = await history.events(s, family)
        dead_letters = await history.dead_letters(s, family)
    return build(subject, events, dead_letters)


@router.post(
    "/api/v1/citizens/lookup",
    tags=["citizens"],
    summary="A citizen's timeline, by PIN (audited)",
)
async def api_lookup(
    request: Request, lookup: Lookup, caller: Annotated[Caller, Depends(needs(Role.VIEWER))]
) -> Timeline:
    return await timeline_of(ops(request), caller, lookup)


@router.get("/console/citizens", response_class=HTMLResponse, include_in_schema=False)
async def page(
    request: Request, caller: Annotated[Caller, Depends(page_needs(Role.VIEWER))]
) -> Response:
    values = {"caller": caller, "timeline": None, "error": None}
    return ops(request).templates.TemplateResponse(request, "citizen.html", values)


@router.post("/console/citizens", response_class=HTMLResponse, include_in_schema=False)
async def page_lookup(
    request: Request,
    pin: Annotated[str, Form()],
    caller: Annotated[Caller, Depends(page_needs(Role.VIEWER))],
    reason: Annotated[str, Form()] = "",
) -> Response:
    context = ops(request)
    pin = pin.strip().upper()
    try:
        lookup = Lookup(pin=pin, reason=reason.strip()[:500])
    except ValueError:
        refused = {"caller": caller, "timeline": None, "error": _refused(pin)}
        return context.templates.TemplateResponse(request, "citizen.html", refused, 422)
    timeline = await timeline_of(context, caller, lookup)
    values: dict[str, object] = {"caller": caller, "timeline": timeline, "error": None}
    return context.templates.TemplateResponse(request, "citizen.html", values)


def _refused(pin: str) -> str:
    if not PIN_PATTERN.fullmatch(pin):
        return "A PIN is 7 letters and digits."
    return "Say why you look this citizen up (e.g. the call reference)."
