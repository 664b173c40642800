"""The FastAPI application: every area's router, the error mapping, the stylesheet.

Areas (one module each): ``health``, ``session`` (console login), ``dashboard``,
``citizens`` (timeline), ``dead_letters``, ``unresolved``, ``audit``, ``tokens`` and
``replay`` (the include point of the replay engineer's routes). API routes live under
``/api/v1`` and are in the OpenAPI document; console pages under ``/console`` are not.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ValidationError

from benefits_ops.entrypoints.http import (
    audit,
    citizens,
    dashboard,
    dead_letters,
    health,
    replay,
    session,
    tokens,
    unresolved,
)
from benefits_ops.entrypoints.http.auth import LoginRequired
from benefits_ops.entrypoints.http.context import OpsContext
from benefits_ops.errors import ActionRefused, Forbidden, NotAuthorised, NotFound


class Refusal(BaseModel):
    detail: str


#: What any API route may answer besides its own success (documented for clients).
REFUSALS: dict[int | str, dict[str, Any]] = {
    400: {"model": Refusal, "description": "The body is not JSON"},
    401: {"model": Refusal, "description": "No valid bearer token"},
    403: {"model": Refusal, "description": "The token's role may not do this"},
    404: {"model": Refusal, "description": "No such thing"},
    409: {"model": Refusal, "description": "Not allowed in its current state"},
}
AREAS = (health, session, dashboard, citizens, dead_letters, unresolved, audit, tokens, replay)


def create_app(context: OpsContext) -> FastAPI:
    app = FastAPI(
        title="benefits-ops",
        version="1.0.0",
        description="Ops console and API of the proactive benefits engine. Every endpoint "
        "but /healthz, /readyz and /metrics needs a bearer token (roles: viewer, operator, "
        "admin).",
    )
    app.state.ops = context
    app.include_router(health.router)
    for area in AREAS[1:]:
        app.include_router(area.router, responses=REFUSALS)
    static = resources.files("benefits_ops") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    _map_errors(app)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/console", status_code=303)

    return app


def _map_errors(app: FastAPI) -> None:
    async def login(request: Request, exc: Exception) -> Response:
        return RedirectResponse("/console/login", status_code=303)

    def answer(status: int) -> object:
        async def handler(request: Request, exc: Exception) -> Response:
            code = exc.status if isinstance(exc, ActionRefused) else status
            headers = {"WWW-Authenticate": "Bearer"} if code == 401 else None
            return JSONResponse({"detail": str(exc)}, status_code=code, headers=headers)

        return handler

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ValidationError)
        errors = [{"loc": e["loc"], "msg": e["msg"]} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    app.add_exception_handler(LoginRequired, login)
    app.add_exception_handler(ValidationError, invalid)
    for exc, status in ((NotAuthorised, 401), (Forbidden, 403), (NotFound, 404)):
        app.add_exception_handler(exc, answer(status))  # type: ignore[arg-type]
    app.add_exception_handler(ActionRefused, answer(409))  # type: ignore[arg-type]
