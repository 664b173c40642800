"""The FastAPI application: every area's router, the error mapping, the stylesheet.

Areas (one module each): ``health``, ``session`` (console login), ``dashboard``,
``citizens`` (timeline), ``dead_letters``, ``unresolved``, ``audit``, ``tokens`` and
``replay`` (the include point of the replay engineer's routes). API routes live under
``/api/v1`` and are in the OpenAPI document; console pages under ``/console`` are not.
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

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

AREAS = (health, session, dashboard, citizens, dead_letters, unresolved, audit, tokens, replay)


def create_app(context: OpsContext) -> FastAPI:
    app = FastAPI(
        title="benefits-ops",
        version="1.0.0",
        description="Ops console and API of the proactive benefits engine. Every endpoint "
        "but /healthz and /readyz needs a bearer token (roles: viewer, operator, admin).",
    )
    app.state.ops = context
    for area in AREAS:
        app.include_router(area.router)
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

    app.add_exception_handler(LoginRequired, login)
    for exc, status in ((NotAuthorised, 401), (Forbidden, 403), (NotFound, 404)):
        app.add_exception_handler(exc, answer(status))  # type: ignore[arg-type]
    app.add_exception_handler(ActionRefused, answer(409))  # type: ignore[arg-type]
