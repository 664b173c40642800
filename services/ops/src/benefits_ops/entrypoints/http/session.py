"""The console's login (a token pasted once, kept in an HttpOnly cookie) and logout."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from benefits_ops.entrypoints.http.auth import COOKIE, caller_of
from benefits_ops.entrypoints.http.context import ops

router = APIRouter(include_in_schema=False)


@router.get("/console/login", response_class=HTMLResponse)
async def login_form(request: Request) -> Response:
    return ops(request).templates.TemplateResponse(request, "login.html", {"error": None})


@router.post("/console/login")
async def login(request: Request, token: Annotated[str, Form()]) -> Response:
    context = ops(request)
    if await caller_of(request, token.strip()) is None:
        return context.templates.TemplateResponse(
            request, "login.html", {"error": "This token is unknown or revoked."}, status_code=401
        )
    response = RedirectResponse("/console", status_code=303)
    response.set_cookie(
        COOKIE,
        token.strip(),
        httponly=True,
        samesite="strict",
        secure=context.cookie_secure,
        max_age=12 * 3600,
    )
    return response


@router.post("/console/logout")
async def logout() -> Response:
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response
