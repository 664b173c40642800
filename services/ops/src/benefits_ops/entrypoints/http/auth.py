"""Bearer tokens for the API, the same token in a cookie for the console.

``needs(Role.OPERATOR)`` is a dependency that answers 401 without a valid token and 403
when the token's role is below the one needed; a console page answers a redirect to the
login form instead of 401. The cookie is HttpOnly and SameSite=Strict (no other site can
make a browser send it, so the console's plain forms need no CSRF token).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from benefits_ops.access import Caller, Role
from benefits_ops.entrypoints.http.context import ops
from benefits_ops.errors import Forbidden, NotAuthorised

COOKIE = "ops_token"
bearer = HTTPBearer(auto_error=False, description="A token made by `benefits-ops tokens create`.")


class LoginRequired(NotAuthorised):
    """A console page without a valid cookie: go to the login form."""


async def caller_of(request: Request, secret: str | None) -> Caller | None:
    if not secret:
        return None
    context = ops(request)
    async with context.sessions() as s:
        return await context.tokens.caller(s, secret)


def needs(role: Role) -> Callable[..., Awaitable[Caller]]:
    """The API's guard: a bearer token (or the console's cookie) of at least ``role``."""

    async def guard(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Caller:
        secret = credentials.credentials if credentials else request.cookies.get(COOKIE)
        return authorised(await caller_of(request, secret), role, NotAuthorised)

    return guard


def page_needs(role: Role) -> Callable[..., Awaitable[Caller]]:
    """The console's guard: the cookie's token, else the login form."""

    async def guard(request: Request) -> Caller:
        caller = await caller_of(request, request.cookies.get(COOKIE))
        return authorised(caller, role, LoginRequired)

    return guard


def authorised(caller: Caller | None, role: Role, missing: type[NotAuthorised]) -> Caller:
    if caller is None:
        raise missing("a valid token is needed")
    if not caller.role.allows(role):
        raise Forbidden(f"the {caller.role.value} role may not do this")
    return caller
