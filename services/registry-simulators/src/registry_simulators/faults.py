"""The faults a simulated registry shows, set from the environment and changed at run time.

Rates are probabilities in [0, 1] drawn independently per request. ``rate_limit`` is in
requests per second (0: no limit); beyond it the registry answers 429 with ``Retry-After``.
``outage`` answers 503 to everything until it is switched off (the feed "down for
minutes"). ``redelivery_rate`` makes a page of a change feed start again with up to
``redelivery_max`` records the previous page already delivered (gaps and malformed records
are in the data itself). Switching and drawing them is the simulator kit's
(:mod:`simulator_kit.faults`).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from simulator_kit import faults as simulator_faults
from simulator_kit.faults import Rate


class Faults(BaseModel):
    """What goes wrong, and how often. The defaults are a registry that always works."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    outage: bool = False
    server_error_rate: float = Rate
    timeout_rate: float = Rate
    timeout_seconds: float = Field(default=30.0, ge=0.0)
    rate_limit: float = Field(default=0.0, ge=0.0)
    redelivery_rate: float = Rate
    redelivery_max: int = Field(default=5, ge=1, le=999)


#: The faults in force, changed at run time (the simulator kit's switch over these faults).
FaultSwitch = simulator_faults.FaultSwitch[Faults]
