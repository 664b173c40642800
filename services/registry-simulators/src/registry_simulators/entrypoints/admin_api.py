"""``/_sim``: what tests and ops use to steer and inspect a simulator (not in the spec).

- ``GET /_sim/health``, ``GET|POST /_sim/faults``: the simulator kit's (``simulator_kit.admin``),
  e.g. ``{"server_error_rate": 0.2, "rate_limit": 5}``.
- ``GET /_sim/stats``: requests, refusals, records served, last ``seq`` served, data size.
  ``DELETE /_sim/stats`` starts the counts again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from simulator_kit import admin

from registry_simulators.faults import FaultSwitch
from registry_simulators.gate import Stats


def router(faults: FaultSwitch, stats: Stats, data: Callable[[], dict[str, int]]) -> APIRouter:
    api = admin.router(faults)

    @api.get("/stats")
    async def get_stats() -> dict[str, Any]:
        return {**stats.snapshot(), "data": data()}

    @api.delete("/stats", status_code=204)
    async def reset_stats() -> None:
        stats.reset()

    return api
