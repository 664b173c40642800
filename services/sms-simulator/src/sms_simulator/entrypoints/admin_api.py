"""``/_sim``: what tests and ops use to steer and inspect the simulator (not in the spec).

- ``GET /_sim/health``, ``GET|POST /_sim/faults``: the simulator kit's (``simulator_kit.admin``).
- ``GET /_sim/messages``: every accepted message, in order, with its idempotency key.
- ``GET /_sim/messages/count``: how many were accepted (what a benchmark polls: the
  whole listing at 25,000 messages is megabytes, and polling it would load the machine
  it measures).
- ``GET /_sim/reports``: every delivery report the callbacks took, in order.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from simulator_kit import admin

from sms_simulator.adapters.callbacks import CallbackSender
from sms_simulator.faults import FaultSwitch
from sms_simulator.messages import MessageBook

SHOWN = ("message_id", "idempotency_key", "to", "text", "sender", "callback_url")


def router(faults: FaultSwitch, book: MessageBook, sender: CallbackSender) -> APIRouter:
    api = admin.router(faults)

    @api.get("/messages")
    async def messages() -> list[dict[str, Any]]:
        return [_shown(m.to_record()) for m in book.all()]

    @api.get("/messages/count")
    async def count() -> dict[str, int]:
        return {"count": book.count()}

    @api.get("/reports")
    async def reports() -> list[dict[str, Any]]:
        return list(sender.sent)

    return api


def _shown(record: dict[str, Any]) -> dict[str, Any]:
    keys = (*SHOWN, "segments", "encoding", "accepted_at")
    return {key: record[key] for key in keys}
