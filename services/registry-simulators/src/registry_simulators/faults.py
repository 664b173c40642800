"""The faults a simulated registry shows, set from the environment and changed at run time.

Rates are probabilities in [0, 1] drawn independently per request. ``rate_limit`` is in
requests per second (0: no limit); beyond it the registry answers 429 with ``Retry-After``.
``outage`` answers 503 to everything until it is switched off (the feed "down for
minutes"). ``redelivery_rate`` makes a page of a change feed start again with up to
``redelivery_max`` records the previous page already delivered (gaps and malformed records
are in the data itself).
"""

from __future__ import annotations

import random
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

Rate = Field(default=0.0, ge=0.0, le=1.0)


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


class FaultSwitch:
    """The faults in force; the admin API changes them while the registry runs."""

    def __init__(self, faults: Faults) -> None:
        self._faults = faults

    @property
    def current(self) -> Faults:
        return self._faults

    def change(self, changes: dict[str, Any]) -> Faults:
        """Apply a partial change; on a ValidationError the faults stay as they were."""
        self._faults = Faults.model_validate({**self._faults.model_dump(), **changes})
        return self._faults


class Chance(Protocol):
    def happens(self, probability: float) -> bool:
        """True with the given probability."""
        ...

    def upto(self, most: int) -> int:
        """A whole number from 1 to ``most``."""
        ...


class RandomChance:
    """Seeded for a reproducible run, unseeded otherwise."""

    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed)

    def happens(self, probability: float) -> bool:
        return probability > 0 and self._random.random() < probability

    def upto(self, most: int) -> int:
        return self._random.randint(1, most)
