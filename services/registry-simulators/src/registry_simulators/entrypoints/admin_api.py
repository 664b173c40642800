"""``/_sim``: what tests and ops use to steer and inspect a simulator (not in the spec).

- ``GET /_sim/health``: the process is up (also during an outage).
- ``GET /_sim/faults``; ``POST /_sim/faults`` with a partial JSON object, e.g.
  ``{"server_error_rate": 0.2, "rate_limit": 5}``: the faults in force (422 if invalid).
- ``GET /_sim/stats``: requests, refusals, records served, last ``seq`` served, data size.
  ``DELETE /_sim/stats`` starts the counts again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from registry_simulators.faults import FaultSwitch
from registry_simulators.gate import Stats


def router(faults: FaultSwitch, stats: Stats, data: Callable[[], dict[str, int]]) -> APIRouter:
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

    @api.get("/stats")
    async def get_stats() -> dict[str, Any]:
        return {**stats.snapshot(), "data": data()}

    @api.delete("/stats", status_code=204)
    async def reset_stats() -> None:
        stats.reset()

    return api
