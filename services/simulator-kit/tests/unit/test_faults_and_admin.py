"""The fault switch and its ``/_sim`` router, as every simulator uses them."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from simulator_kit import admin
from simulator_kit.faults import FaultSwitch, RandomChance, Rate


class Faults(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    outage: bool = False
    error_rate: float = Rate
    hold_seconds: float = Field(default=30.0, ge=0.0)


def test_a_change_is_partial_and_keeps_the_rest() -> None:
    switch = FaultSwitch(Faults(hold_seconds=5.0))
    assert switch.change({"error_rate": 0.5}) == Faults(error_rate=0.5, hold_seconds=5.0)
    assert switch.current == Faults(error_rate=0.5, hold_seconds=5.0)


@pytest.mark.parametrize("change", [{"error_rate": 2}, {"nonsense": 1}])
def test_an_invalid_change_leaves_the_faults_as_they_were(change: dict[str, object]) -> None:
    switch = FaultSwitch(Faults(outage=True))
    with pytest.raises(ValidationError):
        switch.change(change)
    assert switch.current == Faults(outage=True)


def test_seeded_chance_repeats_itself_and_never_draws_a_zero_rate() -> None:
    first, second = RandomChance(3), RandomChance(3)
    assert [first.happens(0.5) for _ in range(50)] == [second.happens(0.5) for _ in range(50)]
    assert not any(first.happens(0.0) for _ in range(1000))
    assert {first.upto(3) for _ in range(200)} == {1, 2, 3}


async def test_the_router_shows_and_changes_the_faults_and_refuses_an_invalid_change() -> None:
    app = FastAPI()
    app.include_router(admin.router(FaultSwitch(Faults())))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as sim:
        assert (await sim.get("/_sim/health")).json() == {"status": "ok"}
        changed = await sim.post("/_sim/faults", json={"outage": True})
        assert changed.json() == {"outage": True, "error_rate": 0.0, "hold_seconds": 30.0}
        refused = await sim.post("/_sim/faults", json={"error_rate": -1})
        assert (refused.status_code, refused.json()["error"]) == (422, "invalid_faults")
        assert (await sim.get("/_sim/faults")).json()["outage"] is True
