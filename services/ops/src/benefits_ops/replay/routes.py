"""The replay API (``/api/v1/replays``, ``/api/v1/shadow-runs``, notice retries).

Operators start runs and retries, viewers follow them. A run answers ``202`` with its
command id at once: the engine works in its own time and its replies are projected; the
run's view (``GET /api/v1/replays/{id}``) says how far it is and what it found.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from pydantic import AfterValidator, BaseModel

from benefits_ops.access import Caller, Role
from benefits_ops.entrypoints.http.auth import needs
from benefits_ops.entrypoints.http.context import ops
from benefits_ops.entrypoints.http.fields import storable
from benefits_ops.replay import actions
from benefits_ops.replay.requests import Reasoned, ReplayRequest, ShadowRequest
from benefits_ops.replay.run_view import RunView

router = APIRouter(tags=["replay"])
CommandId = Annotated[str, Path(min_length=1, max_length=64), AfterValidator(storable)]


class Sent(BaseModel):
    command_id: str
    status_url: str | None = None


class RunAnswer(BaseModel):
    run: RunView
    finished: bool
    verdict: str
    percent: int


def answer(view: RunView) -> RunAnswer:
    return RunAnswer(run=view, finished=view.finished, verdict=view.verdict, percent=view.percent)


@router.post("/api/v1/replays", status_code=202, summary="Start a replay (a dry run by default)")
async def start_replay(
    request: Request, body: ReplayRequest, caller: Annotated[Caller, Depends(needs(Role.OPERATOR))]
) -> Sent:
    command = await actions.replay(ops(request), caller, body)
    return Sent(command_id=command.command_id, status_url=f"/api/v1/replays/{command.command_id}")


@router.post(
    "/api/v1/shadow-runs", status_code=202, summary="Start a shadow run of changed parameters"
)
async def start_shadow(
    request: Request, body: ShadowRequest, caller: Annotated[Caller, Depends(needs(Role.OPERATOR))]
) -> Sent:
    command = await actions.shadow(ops(request), caller, body)
    return Sent(command_id=command.command_id, status_url=f"/api/v1/replays/{command.command_id}")


@router.get("/api/v1/replays", summary="Recent replays and shadow runs, newest first")
async def list_runs(
    request: Request, caller: Annotated[Caller, Depends(needs(Role.VIEWER))]
) -> list[RunAnswer]:
    context = ops(request)
    async with context.sessions() as s:
        runs = await actions.parts_of(context).reader.recent(s)
    return [answer(r.view) for r in runs]


@router.get("/api/v1/replays/{command_id}", summary="A run: progress, differences, verdict")
async def show_run(
    request: Request, command_id: CommandId, caller: Annotated[Caller, Depends(needs(Role.VIEWER))]
) -> RunAnswer:
    context = ops(request)
    async with context.sessions() as s:
        return answer(await actions.parts_of(context).reader.run(s, command_id))


@router.post("/api/v1/replays/{command_id}/cancel", status_code=202, summary="Cancel a run")
async def cancel_run(
    request: Request,
    command_id: CommandId,
    body: Reasoned,
    caller: Annotated[Caller, Depends(needs(Role.OPERATOR))],
) -> Sent:
    command = await actions.cancel(ops(request), caller, command_id, body.reason)
    return Sent(command_id=command.command_id)


@router.post("/api/v1/notices/{notice_id}/retry", status_code=202, summary="Retry a parked notice")
async def retry_notice(
    request: Request,
    notice_id: CommandId,
    body: Reasoned,
    caller: Annotated[Caller, Depends(needs(Role.OPERATOR))],
) -> Sent:
    command = await actions.retry_notice(ops(request), caller, notice_id, body.reason)
    return Sent(command_id=command.command_id)
