"""``POST /v1/messages``, exactly as partners.md describes the SMS gateway."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from simulator_kit.holding import hold
from starlette.types import Receive, Scope, Send

from sms_simulator.errors import (
    GatewayDown,
    GatewayRefusal,
    IdempotencyKeyReused,
    InvalidMessage,
    RateLimited,
    ServerFault,
)
from sms_simulator.gateway import Answer, Gateway
from sms_simulator.messages import Submission


class MessageBody(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    to: str = Field(pattern=r"^\+994\d{9}$")
    text: str = Field(min_length=1)
    sender: str = Field(min_length=1)
    callback_url: str = Field(pattern=r"^https?://\S+$")


def submission_of(raw: bytes) -> Submission:
    try:
        body = MessageBody.model_validate_json(raw)
    except ValidationError as error:
        fields = sorted({".".join(map(str, e["loc"])) or "body" for e in error.errors()})
        raise InvalidMessage(f"invalid message: {', '.join(fields)}") from None
    return Submission(body.to, body.text, body.sender, body.callback_url)


def router(gateway: Gateway) -> APIRouter:
    api = APIRouter()

    @api.post("/v1/messages", status_code=202)
    async def post_message(
        request: Request,
        idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
    ) -> Response:
        gateway.admit()
        answer = gateway.submit(idempotency_key, submission_of(await request.body()))
        return await _answer(answer)

    return api


async def _answer(answer: Answer) -> Response:
    if answer.mode == "drop":
        return DroppedConnection()
    if answer.mode == "late":
        await hold(answer.delay_seconds)
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else None
    return JSONResponse(answer.message.answer(), status_code=202, headers=headers)


class DroppedConnection(Response):
    """The message was accepted, but the connection breaks before the answer is complete.

    The status line goes out with a body length that never arrives; the server then closes
    the connection, and the client's HTTP library reports a broken response: the outcome is
    unknown to the client, as after a time-out.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"application/json"), (b"content-length", b"512")]
        await send({"type": "http.response.start", "status": 202, "headers": headers})
        await send({"type": "http.response.body", "body": b'{"message_id": ', "more_body": True})


def status_of(refusal: GatewayRefusal) -> int:
    if isinstance(refusal, ServerFault):
        return refusal.status
    if isinstance(refusal, RateLimited):
        return 429
    if isinstance(refusal, IdempotencyKeyReused):
        return 422
    return 503 if isinstance(refusal, GatewayDown) else 400


def install_refusals(app: FastAPI) -> None:
    """Every refusal becomes ``{"error": code, "detail": text}`` with its status."""

    async def refused(request: Request, refusal: Exception) -> Response:
        assert isinstance(refusal, GatewayRefusal)
        headers = None
        if isinstance(refusal, RateLimited):
            headers = {"Retry-After": str(refusal.retry_after)}
        body = {"error": refusal.code, "detail": str(refusal)}
        return JSONResponse(body, status_code=status_of(refusal), headers=headers)

    app.add_exception_handler(GatewayRefusal, refused)
