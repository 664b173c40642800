"""Dead letters: every ``.dlq`` record with its reason and origin; redrive (as is or fixed)
to the origin topic, or discard with a reason. Actions need the operator role and are
audited; the dead letter leaves the open queue in the same transaction."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from benefits_ops.access import Caller, Role
from benefits_ops.adapters.dead_letter_store import DeadLetter, DeadLetterStore
from benefits_ops.entrypoints.http.auth import needs, page_needs
from benefits_ops.entrypoints.http.context import OpsContext, ops
from benefits_ops.entrypoints.http.fields import Note
from benefits_ops.errors import ActionRefused
from benefits_ops.pin_redaction import PinRedactor
from benefits_ops.redrive import plan

router = APIRouter()
State = Literal["open", "redriven", "discarded", "all"]
DeadLetterId = Annotated[int, Path(ge=1, le=2**62, description="The dead letter's id")]


class ShownDeadLetter(BaseModel):
    dead_letter: DeadLetter
    raw_payload: str
    payload_json: Any | None
    headers: dict[str, str]


class RedriveRequest(BaseModel):
    reason: Note
    fixed_payload: dict[str, Any] | None = Field(
        default=None, description="The corrected JSON payload; omitted: redrive as it is"
    )


class DiscardRequest(BaseModel):
    reason: Note


class ActionDone(BaseModel):
    id: int
    state: str
    origin_topic: str
    ce_id: str | None = None
    fixed: bool = False


async def listing(context: OpsContext, state: State, limit: int = 200) -> list[DeadLetter]:
    async with context.sessions() as s:
        return await DeadLetterStore(context.tables).in_state(
            s, None if state == "all" else state, limit
        )


async def shown(context: OpsContext, caller: Caller, dead_letter_id: int) -> ShownDeadLetter:
    """The raw record (it may hold PINs in clear): who opened it is written to the audit log."""
    async with context.sessions.begin() as s:
        dead = await DeadLetterStore(context.tables).get(s, dead_letter_id)
        await context.audit.write(s, caller, "dead-letter.view", _target(dead))
    record = await context.kafka.read(dead.dlq_topic, dead.dlq_partition, dead.dlq_offset)
    raw = (record.value or b"").decode("utf-8", errors="replace")
    try:
        payload = json.loads(raw)
    except ValueError:
        payload = None
    headers = {k: v.decode("utf-8", errors="replace") for k, v in record.headers}
    return ShownDeadLetter(dead_letter=dead, raw_payload=raw, payload_json=payload, headers=headers)


async def redrive(
    context: OpsContext, caller: Caller, dead_letter_id: int, asked: RedriveRequest
) -> ActionDone:
    store = DeadLetterStore(context.tables)
    async with context.sessions.begin() as s:
        dead = await store.open_for_action(s, dead_letter_id)
        record = await context.kafka.read(dead.dlq_topic, dead.dlq_partition, dead.dlq_offset)
        sent = plan(dead.id, dead.origin_topic, record, asked.fixed_payload)
        await context.kafka.send(sent)
        resolution = {
            "action": "redrive-fixed" if sent.fixed else "redrive",
            "reason": asked.reason,
            "ce_id": sent.ce_id,
            "fix_sha256": sent.fix_sha256,
            "fix": PinRedactor(context.hasher).redact(asked.fixed_payload).payload
            if sent.fixed
            else None,
        }
        await store.close(s, dead.id, "redriven", caller.actor, resolution)
        await context.audit.write(
            s, caller, str(resolution["action"]), _target(dead), asked.reason, resolution
        )
    return ActionDone(
        id=dead.id, state="redriven", origin_topic=sent.topic, ce_id=sent.ce_id, fixed=sent.fixed
    )


async def discard(
    context: OpsContext, caller: Caller, dead_letter_id: int, asked: DiscardRequest
) -> ActionDone:
    store = DeadLetterStore(context.tables)
    async with context.sessions.begin() as s:
        dead = await store.open_for_action(s, dead_letter_id)
        resolution = {"action": "discard", "reason": asked.reason}
        await store.close(s, dead.id, "discarded", caller.actor, resolution)
        await context.audit.write(s, caller, "discard", _target(dead), asked.reason)
    return ActionDone(id=dead.id, state="discarded", origin_topic=dead.origin_topic)


def _target(dead: DeadLetter) -> str:
    return f"dead-letter {dead.id} ({dead.dlq_topic}[{dead.dlq_partition}]@{dead.dlq_offset})"


@router.get("/api/v1/dead-letters", tags=["dead letters"], summary="Dead letters, newest first")
async def api_list(
    request: Request,
    caller: Annotated[Caller, Depends(needs(Role.VIEWER))],
    state: State = "open",
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[DeadLetter]:
    return await listing(ops(request), state, limit)


@router.get(
    "/api/v1/dead-letters/{dead_letter_id}",
    tags=["dead letters"],
    summary="One dead letter with its raw payload and headers (read from its .dlq topic)",
)
async def api_show(
    request: Request,
    dead_letter_id: DeadLetterId,
    caller: Annotated[Caller, Depends(needs(Role.VIEWER))],
) -> ShownDeadLetter:
    return await shown(ops(request), caller, dead_letter_id)


@router.post(
    "/api/v1/dead-letters/{dead_letter_id}/redrive",
    tags=["dead letters"],
    summary="Send it to its origin topic, as it is or fixed (audited)",
)
async def api_redrive(
    request: Request,
    dead_letter_id: DeadLetterId,
    asked: RedriveRequest,
    caller: Annotated[Caller, Depends(needs(Role.OPERATOR))],
) -> ActionDone:
    return await redrive(ops(request), caller, dead_letter_id, asked)


@router.post(
    "/api/v1/dead-letters/{dead_letter_id}/discard",
    tags=["dead letters"],
    summary="Close it without sending it anywhere (audited)",
)
async def api_discard(
    request: Request,
    dead_letter_id: DeadLetterId,
    asked: DiscardRequest,
    caller: Annotated[Caller, Depends(needs(Role.OPERATOR))],
) -> ActionDone:
    return await discard(ops(request), caller, dead_letter_id, asked)


@router.get("/console/dead-letters", response_class=HTMLResponse, include_in_schema=False)
async def page(
    request: Request,
    caller: Annotated[Caller, Depends(page_needs(Role.VIEWER))],
    state: State = "open",
) -> Response:
    context = ops(request)
    values = {"caller": caller, "state": state, "dead_letters": await listing(context, state)}
    return context.templates.TemplateResponse(request, "dead_letters.html", values)


@router.get(
    "/console/dead-letters/{dead_letter_id}", response_class=HTMLResponse, include_in_schema=False
)
async def page_show(
    request: Request,
    dead_letter_id: DeadLetterId,
    caller: Annotated[Caller, Depends(page_needs(Role.VIEWER))],
    error: str | None = None,
) -> Response:
    context = ops(request)
    values = {
        "caller": caller,
        "shown": await shown(context, caller, dead_letter_id),
        "error": error,
    }
    return context.templates.TemplateResponse(request, "dead_letter.html", values)


@router.post("/console/dead-letters/{dead_letter_id}/redrive", include_in_schema=False)
async def page_redrive(
    request: Request,
    dead_letter_id: DeadLetterId,
    reason: Annotated[str, Form()],
    caller: Annotated[Caller, Depends(page_needs(Role.OPERATOR))],
    fixed_payload: Annotated[str, Form()] = "",
) -> Response:
    try:
        fixed = json.loads(fixed_payload) if fixed_payload.strip() else None
        asked = RedriveRequest(reason=reason, fixed_payload=fixed)
        await redrive(ops(request), caller, dead_letter_id, asked)
    except (ValueError, ActionRefused) as exc:
        return _back(dead_letter_id, f"Not redriven: {exc}")
    return RedirectResponse("/console/dead-letters", status_code=303)


@router.post("/console/dead-letters/{dead_letter_id}/discard", include_in_schema=False)
async def page_discard(
    request: Request,
    dead_letter_id: DeadLetterId,
    reason: Annotated[str, Form()],
    caller: Annotated[Caller, Depends(page_needs(Role.OPERATOR))],
) -> Response:
    try:
        await discard(ops(request), caller, dead_letter_id, DiscardRequest(reason=reason))
    except (ValueError, ActionRefused) as exc:
        return _back(dead_letter_id, f"Not discarded: {exc}")
    return RedirectResponse("/console/dead-letters", status_code=303)


def _back(dead_letter_id: int, error: str) -> Response:
    query = urlencode({"error": error[:300]})
    return RedirectResponse(f"/console/dead-letters/{dead_letter_id}?{query}", status_code=303)
