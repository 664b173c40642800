"""Tokens (admin only): list, create (the secret shown once), revoke. Every change is audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from benefits_ops.access import Caller, Role
from benefits_ops.adapters.token_store import TokenRow
from benefits_ops.entrypoints.http.auth import needs, page_needs
from benefits_ops.entrypoints.http.context import OpsContext, ops
from benefits_ops.entrypoints.http.fields import Name
from benefits_ops.errors import NotFound

router = APIRouter()
TokenId = Annotated[str, Path(pattern="^[0-9a-f-]{1,36}$", description="The token's id")]


class NewToken(BaseModel):
    name: Name
    role: Role


class CreatedToken(BaseModel):
    token_id: str
    secret: str = Field(description="Shown once; only its sha256 is stored.")


async def list_tokens(context: OpsContext) -> list[TokenRow]:
    async with context.sessions() as s:
        return await context.tokens.all(s)


async def create_token(context: OpsContext, caller: Caller, new: NewToken) -> CreatedToken:
    async with context.sessions.begin() as s:
        token_id, secret = await context.tokens.create(s, new.name, new.role, caller.actor)
        details = {"name": new.name, "role": new.role.value}
        await context.audit.write(s, caller, "token.create", token_id, details=details)
    return CreatedToken(token_id=token_id, secret=secret)


async def revoke_token(context: OpsContext, caller: Caller, token_id: str) -> None:
    async with context.sessions.begin() as s:
        if not await context.tokens.revoke(s, token_id):
            raise NotFound("no such active token")
        await context.audit.write(s, caller, "token.revoke", token_id)


@router.get("/api/v1/tokens", tags=["tokens"], summary="Every token (never a secret)")
async def api_tokens(
    request: Request, caller: Annotated[Caller, Depends(needs(Role.ADMIN))]
) -> list[TokenRow]:
    return await list_tokens(ops(request))


@router.post("/api/v1/tokens", tags=["tokens"], status_code=201, summary="Create a token")
async def api_create(
    request: Request, new: NewToken, caller: Annotated[Caller, Depends(needs(Role.ADMIN))]
) -> CreatedToken:
    return await create_token(ops(request), caller, new)


@router.delete(
    "/api/v1/tokens/{token_id}", tags=["tokens"], status_code=204, summary="Revoke a token"
)
async def api_revoke(
    request: Request, token_id: TokenId, caller: Annotated[Caller, Depends(needs(Role.ADMIN))]
) -> Response:
    await revoke_token(ops(request), caller, token_id)
    return Response(status_code=204)


@router.get("/console/tokens", response_class=HTMLResponse, include_in_schema=False)
async def page(
    request: Request, caller: Annotated[Caller, Depends(page_needs(Role.ADMIN))]
) -> Response:
    context = ops(request)
    values = {"caller": caller, "tokens": await list_tokens(context), "created": None}
    return context.templates.TemplateResponse(request, "tokens.html", values)


@router.post("/console/tokens", response_class=HTMLResponse, include_in_schema=False)
async def page_create(
    request: Request,
    name: Annotated[str, Form()],
    role: Annotated[Role, Form()],
    caller: Annotated[Caller, Depends(page_needs(Role.ADMIN))],
) -> Response:
    context = ops(request)
    created = await create_token(context, caller, NewToken(name=name, role=role))
    values = {"caller": caller, "tokens": await list_tokens(context), "created": created}
    return context.templates.TemplateResponse(request, "tokens.html", values)


@router.post("/console/tokens/{token_id}/revoke", include_in_schema=False)
async def page_revoke(
    request: Request, token_id: str, caller: Annotated[Caller, Depends(page_needs(Role.ADMIN))]
) -> Response:
    await revoke_token(ops(request), caller, token_id)
    return RedirectResponse("/console/tokens", status_code=303)
