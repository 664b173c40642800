"""The faults the simulated gateway shows, set from the environment and changed at run time.

Every rate is a probability in [0, 1] drawn independently per request (or per delivery
report); ``rate_limit`` is in messages per second, 0 meaning no limit. Switching and
drawing them is the simulator kit's (:mod:`simulator_kit.faults`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from simulator_kit import faults as simulator_faults
from simulator_kit.faults import Rate


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


#: The faults in force, changed at run time (the simulator kit's switch over these faults).
FaultSwitch = simulator_faults.FaultSwitch[Faults]
