"""``/_sim``: what tests and ops use to steer and inspect the simulator (not in the spec).

- ``GET /_sim/health``: the process is up (also during an outage).
- ``GET /_sim/faults``, ``POST /_sim/faults`` with a partial JSON object: the faults in force.
- ``GET /_sim/messages``: every accepted message, in order, with its idempotency key.
- ``GET /_sim/reports``: every delivery report the callbacks took, in order.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from sms_simulator.adapters.callbacks import CallbackSender
from sms_simulator.faults import FaultSwitch
from sms_simulator.messages import MessageBook

SHOWN = ("message_id", "idempotency_key", "to", "text", "sender", "callback_url")


def router(faults: FaultSwitch, book: MessageBook, sender: CallbackSender) -> APIRouter:
    api = APIRouter(prefix="/_sim")

    @api.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @api.get("/faults")
    async def get_faults() -> dict[str, Any]:
        return faults.current.model_dump()

    @api.post("/faults")
    async def change_faults(changes: dict[str, Any] = Body(...)) -> Response:  # noqa: B008
        try:
            return JSONResponse(faults.change(changes).model_dump())
        except ValidationError as error:
            return JSONResponse({"error": "invalid_faults", "detail": str(error)}, 422)

    @api.get("/messages")
    async def messages() -> list[dict[str, Any]]:
        return [_shown(m.to_record()) for m in book.all()]

    @api.get("/reports")
    async def reports() -> list[dict[str, Any]]:
        return list(sender.sent)

    return api


def _shown(record: dict[str, Any]) -> dict[str, Any]:
    keys = (*SHOWN, "segments", "encoding", "accepted_at")
    return {key: record[key] for key in keys}
