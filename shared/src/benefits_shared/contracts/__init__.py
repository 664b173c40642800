"""The event contracts: one pydantic model per CloudEvents type, per topic.

Emitters validate strictly (the model is built before publishing); readers are tolerant
(unknown fields are ignored). ``REGISTRY`` lists every type; the AsyncAPI document and
the JSON Schemas in ``docs/contracts/`` are generated from it, and a test fails on a
backward-incompatible change.
"""

from benefits_shared.contracts.base import REGISTRY, Contract, parse

__all__ = ["REGISTRY", "Contract", "parse"]

# Importing the modules registers every type.
from benefits_shared.contracts import (
    clock,
    decisions,
    life_events,
    notices,
    ops,
    payments,
    persons,
    progress,
)

__all__ += [
    "clock",
    "decisions",
    "life_events",
    "notices",
    "ops",
    "payments",
    "persons",
    "progress",
]
