"""``/_sim``: what tests and ops use to steer a simulator (not in the spec, never faulted).

- ``GET /_sim/health``: the process is up (also during an outage).
- ``GET /_sim/faults``; ``POST /_sim/faults`` with a partial JSON object, e.g.
  ``{"server_error_rate": 0.2}``: the faults in force (422 and no change if invalid).

A simulator adds its own ``/_sim`` routes (stats, ledger, messages) in a router of its own.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError

from simulator_kit.faults import FaultSwitch


def router(faults: FaultSwitch[Any]) -> APIRouter:
    api = APIRouter(prefix="/_sim")

    @api.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @api.get("/faults")
    async def get_faults() -> dict[str, Any]:
        return _shown(faults.current)

    @api.post("/faults")
    async def change_faults(changes: dict[str, Any] = Body(...)) -> Response:  # noqa: B008
        try:
            return JSONResponse(_shown(faults.change(changes)))
        except ValidationError as error:
            return JSONResponse({"error": "invalid_faults", "detail": str(error)}, 422)

    return api


def _shown(faults: BaseModel) -> dict[str, Any]:
    return faults.model_dump(mode="json")
