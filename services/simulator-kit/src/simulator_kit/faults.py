"""The faults a simulator shows: set from the environment, changed at run time, drawn.

Each simulator describes its own faults as a frozen pydantic model whose defaults are a
partner that always works (``extra="forbid"``, rates in [0, 1] with :data:`Rate`). The
:class:`FaultSwitch` holds the faults in force; a change is partial and validated like the
model, and an invalid change leaves the faults as they were. :class:`RandomChance` draws
them, seeded for a reproducible run.
"""

from __future__ import annotations

import random
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel, Field

F = TypeVar("F", bound=BaseModel)
Rate: Any = Field(default=0.0, ge=0.0, le=1.0)


class FaultSwitch(Generic[F]):
    """The faults in force; the admin API changes them while the simulator runs."""

    def __init__(self, faults: F) -> None:
        self._faults = faults

    @property
    def current(self) -> F:
        return self._faults

    def change(self, changes: dict[str, Any]) -> F:
        """Apply a partial change; pydantic's ValidationError leaves the faults as they were."""
        self._faults = type(self._faults).model_validate({**self._faults.model_dump(), **changes})
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
