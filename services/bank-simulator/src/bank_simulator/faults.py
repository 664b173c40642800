"""The partner bank's bad days, on demand (env at start, ``POST /_sim/faults`` at run time).

Before the work: an outage answers 503 to everything under ``/v1``; over the rate limit
(a token bucket of ``rate_limit_per_second``), or at ``rate_limited_rate`` whatever the
load, the answer is 429 with ``Retry-After``; at ``error_rate`` a 500 or 503. After the
work: at ``timeout_rate`` the answer is held for ``timeout_hold_seconds`` and then replaced
by 504, so the client sees a time-out although the work is done and a retry with the same
key gets the real answer. ``broken_status_report`` makes every ``pain.002`` it sends broken
in the way named (a bank that sends nonsense: the gateway must refuse it and change
nothing). The switch, the bucket and the ``/_sim/faults`` router are the simulator kit's
(ADR 0014).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from benefits_shared.clock import Clock
from pydantic import BaseModel, ConfigDict, Field
from simulator_kit.faults import FaultSwitch
from simulator_kit.rate_limit import TokenBucket

from bank_simulator.pain002 import StatusReportDefect


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
    broken_status_report: StatusReportDefect | None = None


@dataclass(frozen=True, slots=True)
class Refusal:
    status_code: int
    headers: dict[str, str]


class Faults(FaultSwitch[FaultSettings]):
    """The simulator kit's fault switch, plus how the bank draws its faults."""

    def __init__(self, settings: FaultSettings, clock: Clock, rng: random.Random) -> None:
        super().__init__(settings)
        self._rng = rng
        self._bucket = TokenBucket(lambda: clock.now().timestamp())

    def before_work(self) -> Refusal | None:
        """The refusal this request gets before the bank looks at it, if any."""
        s = self.current
        if s.outage:
            return Refusal(503, {})
        limited = self._bucket.take(s.rate_limit_per_second) is not None
        if limited or self._rng.random() < s.rate_limited_rate:
            return Refusal(429, {"Retry-After": str(s.retry_after_seconds)})
        if self._rng.random() < s.error_rate:
            return Refusal(self._rng.choice((500, 503)), {})
        return None

    def times_out(self) -> bool:
        return self._rng.random() < self.current.timeout_rate
