"""The console's replay pages: the form, a run's progress and diff, shadow uploads, and the
retry of a parked notice. Plain forms; a running run's page refreshes itself.

Every action goes through ``actions`` like the API's, so the console and the API audit and
send the same. A one-person selection's PIN is posted, used and forgotten: to apply such a
dry run, the PIN is asked again (the projection holds only its hash).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from benefits_shared.clock import BAKU
from benefits_shared.contracts.ops import OpsCommand, ReplaySelection
from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from benefits_ops.access import Caller, Role
from benefits_ops.entrypoints.http.auth import page_needs
from benefits_ops.entrypoints.http.context import OpsContext, ops
from benefits_ops.errors import ActionRefused
from benefits_ops.replay import actions
from benefits_ops.replay.requests import ReplayRequest, ShadowRequest
from benefits_ops.replay.routes import CommandId

router = APIRouter(include_in_schema=False)
SELECTION_FIELDS = (
    "kind",
    "topic",
    "since",
    "until",
    "partition",
    "offset_from",
    "offset_to",
    "pin",
)
TOPICS = ("life-events", "persons", "payments", "clock-ticks")
Asked = TypeVar("Asked", ReplayRequest, ShadowRequest)


@router.get("/console/replay", response_class=HTMLResponse)
async def replay_page(
    request: Request, caller: Annotated[Caller, Depends(page_needs(Role.VIEWER))]
) -> Response:
    return await _form_page(request, caller, None)


@router.post("/console/replay", response_class=HTMLResponse)
async def replay_post(
    request: Request, caller: Annotated[Caller, Depends(page_needs(Role.OPERATOR))]
) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}

    def asked() -> ReplayRequest:
        return ReplayRequest(
            selection=selection_of(form),
            mode="apply" if form.get("mode") == "apply" else "dry_run",
            reason=form.get("reason", ""),
            horizon=_day(form.get("horizon")),
        )

    return await _started(request, caller, asked, actions.replay)


@router.post("/console/shadow", response_class=HTMLResponse)
async def shadow_post(
    request: Request,
    caller: Annotated[Caller, Depends(page_needs(Role.OPERATOR))],
    parameter_file: UploadFile,
    reason: Annotated[str, Form()] = "",
    horizon: Annotated[str, Form()] = "",
) -> Response:
    name = parameter_file.filename or ""
    text = (await parameter_file.read(1_000_001)).decode("utf-8", errors="replace")

    def asked() -> ShadowRequest:
        return ShadowRequest(parameter_files={name: text}, reason=reason, horizon=_day(horizon))

    return await _started(request, caller, asked, actions.shadow)


@router.get("/console/replay/{command_id}", response_class=HTMLResponse)
async def run_page(
    request: Request,
    command_id: CommandId,
    caller: Annotated[Caller, Depends(page_needs(Role.VIEWER))],
) -> Response:
    context = ops(request)
    parts = actions.parts_of(context)
    async with context.sessions() as s:
        view = await parts.reader.run(s, command_id)
        asked = await parts.reader.command(s, command_id)
    values = {"caller": caller, "run": view, "asked": asked, "topics": TOPICS}
    return context.templates.TemplateResponse(request, "replay_run.html", values)


@router.post("/console/replay/{command_id}/cancel")
async def cancel_post(
    request: Request,
    command_id: CommandId,
    caller: Annotated[Caller, Depends(page_needs(Role.OPERATOR))],
    reason: Annotated[str, Form()] = "cancelled from the console",
) -> Response:
    await actions.cancel(ops(request), caller, command_id, reason or "cancelled from the console")
    return RedirectResponse(f"/console/replay/{command_id}", status_code=303)


@router.post("/console/notices/{notice_id}/retry")
async def retry_post(
    request: Request,
    notice_id: CommandId,
    caller: Annotated[Caller, Depends(page_needs(Role.OPERATOR))],
    reason: Annotated[str, Form()] = "retried from the console",
) -> Response:
    await actions.retry_notice(
        ops(request), caller, notice_id, reason or "retried from the console"
    )
    return RedirectResponse("/console/unresolved", status_code=303)


def selection_of(form: dict[str, str]) -> ReplaySelection:
    """A selection from a form's fields (empty ones left out)."""
    fields: dict[str, Any] = {
        k: form[k].strip() for k in SELECTION_FIELDS if form.get(k, "").strip()
    }
    for name in ("since", "until"):
        if name in fields:
            fields[name] = _baku_instant(fields[name])
    return ReplaySelection.model_validate(fields)


async def _started(
    request: Request,
    caller: Caller,
    asked: Callable[[], Asked],
    start: Callable[[OpsContext, Caller, Asked], Awaitable[OpsCommand]],
) -> Response:
    """Start what the form asks and show its run; the form again with the problem if the
    form does not make a valid request."""
    try:
        body = asked()
    except (ValidationError, ValueError) as exc:
        return await _form_page(request, caller, _problem(exc), 422)
    command = await start(ops(request), caller, body)
    return RedirectResponse(f"/console/replay/{command.command_id}", status_code=303)


async def _form_page(
    request: Request, caller: Caller, problem: str | None, status: int = 200
) -> Response:
    context: OpsContext = ops(request)
    async with context.sessions() as s:
        runs = await actions.parts_of(context).reader.recent(s)
    values = {"caller": caller, "runs": runs, "problem": problem, "topics": TOPICS}
    return context.templates.TemplateResponse(request, "replay.html", values, status_code=status)


def _baku_instant(text: str) -> datetime:
    """A form's ``datetime-local`` (Baku time) as an aware instant."""
    at = datetime.fromisoformat(text)
    return at if at.tzinfo else at.replace(tzinfo=BAKU)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(e["msg"]) for e in exc.errors())
    if isinstance(exc, ActionRefused):
        return str(exc)
    return str(exc)
