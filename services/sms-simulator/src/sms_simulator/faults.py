"""The faults the simulated gateway shows, set from the environment and changed at run time.

Every rate is a probability in [0, 1] drawn independently per request (or per delivery
report); ``rate_limit`` is in messages per second, 0 meaning no limit.
"""

from __future__ import annotations

import random
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

Rate = Field(default=0.0, ge=0.0, le=1.0)


class Faults(BaseModel):
    """What goes wrong, and how often. The defaults are a gateway that always works."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    outage: bool = False
    server_error_rate: float = Rate
    timeout_rate: float = Rate
    timeout_mode: Literal["delay", "drop"] = "delay"
    timeout_seconds: float = Field(default=30.0, ge=0.0)
    rate_limit: float = Field(default=0.0, ge=0.0)
    #: A 429 at random, whatever the load, with ``Retry-After: rate_limited_retry_after``.
    rate_limited_rate: float = Rate
    rate_limited_retry_after: int = Field(default=1, ge=1)
    report_delay_seconds: float = Field(default=0.05, ge=0.0)
    failed_rate: float = Rate
    expired_rate: float = Rate
    lost_report_rate: float = Rate
    duplicate_report_rate: float = Rate
    late_report_rate: float = Rate
    late_report_seconds: float = Field(default=60.0, ge=0.0)
    out_of_order_report_rate: float = Rate


class FaultSwitch:
    """The faults in force; the admin API changes them while the gateway runs."""

    def __init__(self, faults: Faults) -> None:
        self._faults = faults

    @property
    def current(self) -> Faults:
        return self._faults

    def change(self, changes: dict[str, Any]) -> Faults:
        """Apply a partial change; pydantic's ValidationError leaves the faults as they were."""
        self._faults = Faults.model_validate({**self._faults.model_dump(), **changes})
        return self._faults


class Chance(Protocol):
    def happens(self, probability: float) -> bool:
        """True with the given probability."""
        ...


class RandomChance:
    """Seeded for a reproducible run, unseeded otherwise."""

    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed)

    def happens(self, probability: float) -> bool:
        return probability > 0 and self._random.random() < probability
