"""The SMS gateway of partners.md over HTTP: ``POST /v1/messages`` with an Idempotency-Key.

Each answer is classified for the sender (``errors.py``): ``202`` accepted; ``429``
rate-limited with its ``Retry-After``; ``5xx`` or no connection: not taken, try later;
a time-out or a broken answer: the outcome is unknown, so the next attempt carries the
same key and the same body; any other ``4xx``: refused for good.

A hand-over unanswered for ``hedge_after`` seconds, and for four times the gateway's
typical answer, is sent once more with the same key and body, and the first answer
decides (``benefits_shared.hedging``, ADR 25): the gateway answers a repeated key with
its first answer, so a call that hangs after the work costs about a second, not the
time-out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import httpx
from benefits_shared.clock import BAKU
from benefits_shared.hedging import Hedger
from benefits_shared.retry_policies import retry_after_seconds
from pydantic import BaseModel, ConfigDict, ValidationError

from notifier.errors import (
    GatewayRateLimited,
    GatewayRefused,
    GatewayUnavailable,
    OutcomeUnknown,
)

DEFAULT_RETRY_AFTER = 1.0
HEDGE_AFTER_SECONDS = 1.0


class Acceptance(BaseModel):
    """The ``202`` body: the gateway's message id, segments charged and encoding."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    message_id: str
    segments: int
    encoding: str


@dataclass(frozen=True, slots=True)
class Accepted:
    acceptance: Acceptance
    replayed: bool


class SmsSender(Protocol):
    async def submit(self, idempotency_key: str, body: dict[str, Any]) -> Accepted: ...


class SmsGateway:
    def __init__(
        self, client: httpx.AsyncClient, base_url: str, hedge_after: float = HEDGE_AFTER_SECONDS
    ) -> None:
        self._client = client
        self._url = base_url.rstrip("/") + "/v1/messages"
        self._hedger = Hedger(hedge_after, "sms-gateway")

    async def submit(self, idempotency_key: str, body: dict[str, Any]) -> Accepted:
        return _classify(await self._hedger.call(lambda: self._post(idempotency_key, body)))

    async def _post(self, idempotency_key: str, body: dict[str, Any]) -> httpx.Response:
        try:
            return await self._client.post(
                self._url, json=body, headers={"Idempotency-Key": idempotency_key}
            )
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise GatewayUnavailable(f"no connection to the gateway: {type(exc).__name__}") from exc
        except httpx.TransportError as exc:
            raise OutcomeUnknown(f"no answer from the gateway: {type(exc).__name__}") from exc


def _classify(response: httpx.Response) -> Accepted:
    status = response.status_code
    if status in (200, 201, 202):
        try:
            acceptance = Acceptance.model_validate_json(response.content)
        except ValidationError as exc:
            raise OutcomeUnknown("the gateway's answer is not the spec's") from exc
        replayed = response.headers.get("Idempotent-Replayed", "").lower() == "true"
        return Accepted(acceptance, replayed)
    if status == 429:
        raise GatewayRateLimited(retry_after(response.headers.get("Retry-After")))
    if status >= 500 or status in (408, 409):
        raise GatewayUnavailable(f"the gateway answered {status}")
    raise GatewayRefused(status, _error_code(response))


def retry_after(header: str | None, now: datetime | None = None) -> float:
    """``Retry-After`` in seconds: delta-seconds or an HTTP-date; 1 s if absent or unreadable."""
    seconds = retry_after_seconds(header, now or datetime.now(BAKU))
    return DEFAULT_RETRY_AFTER if seconds is None else seconds


def _error_code(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return "unreadable"
    return str(body.get("error", "refused")) if isinstance(body, dict) else "refused"
