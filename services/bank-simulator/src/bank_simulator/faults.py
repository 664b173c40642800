"""The partner bank's bad days, on demand (env at start, ``POST /_sim/faults`` at run time).

Before the work: an outage answers 503 to everything under ``/v1``; over the rate limit
(requests per wall-clock second), or at ``rate_limited_rate`` whatever the load, the
answer is 429 with ``Retry-After``; at ``error_rate`` a 500 or 503. After the work: at
``timeout_rate`` the answer is held for ``timeout_hold_seconds`` and then replaced by 504,
so the client sees a time-out although the work is done and a retry with the same key gets
the real answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from benefits_shared.clock import Clock
from pydantic import BaseModel, ConfigDict, Field


class FaultSettings(BaseModel):
    """What the bank does wrong, and how long it takes to settle."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    outage: bool = False
    error_rate: float = Field(default=0.0, ge=0, le=1)
    timeout_rate: float = Field(default=0.0, ge=0, le=1)
    timeout_hold_seconds: float = Field(default=30.0, ge=0)
    rate_limit_per_second: int = Field(default=0, ge=0, description="0: no limit")
    retry_after_seconds: int = Field(default=1, ge=0)
    rate_limited_rate: float = Field(default=0.0, ge=0, le=1, description="429 at random")
    settlement_delay_seconds: float = Field(default=2.0, ge=0)


@dataclass(frozen=True, slots=True)
class Refusal:
    status_code: int
    headers: dict[str, str]


class Faults:
    def __init__(self, settings: FaultSettings, clock: Clock, rng: random.Random) -> None:
        self.settings = settings
        self._clock = clock
        self._rng = rng
        self._window: tuple[datetime, int] | None = None

    def change(self, patch: dict[str, object]) -> FaultSettings:
        """Apply a partial change (validated like the settings) and return the result."""
        self.settings = FaultSettings.model_validate(self.settings.model_dump() | patch)
        return self.settings

    def before_work(self) -> Refusal | None:
        """The refusal this request gets before the bank looks at it, if any."""
        s = self.settings
        if s.outage:
            return Refusal(503, {})
        if self._over_limit() or self._rng.random() < s.rate_limited_rate:
            return Refusal(429, {"Retry-After": str(s.retry_after_seconds)})
        if self._rng.random() < s.error_rate:
            return Refusal(self._rng.choice((500, 503)), {})
        return None

    def times_out(self) -> bool:
        return self._rng.random() < self.settings.timeout_rate

    def _over_limit(self) -> bool:
        limit = self.settings.rate_limit_per_second
        second = self._clock.now().replace(microsecond=0)
        start, count = self._window if self._window and self._window[0] == second else (second, 0)
        self._window = (start, count + 1)
        return limit > 0 and count >= limit
