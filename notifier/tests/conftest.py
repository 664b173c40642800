"""Keep ``notifier`` the real package while pytest imports these tests; decisions to test on.

With ``--import-mode=importlib`` pytest names a test module by its path from the root,
``notifier.tests.unit.test_…``, and imports the missing parents from the file system: the
member folder ``notifier/`` becomes a namespace package called ``notifier`` that hides the
real one in ``src/``. This conftest is imported first; it puts the real package back.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from benefits_shared.contracts.decisions import BenefitDecided

if getattr(sys.modules.get("notifier"), "__file__", None) is None:
    sys.modules.pop("notifier", None)
    importlib.import_module("notifier")

MakeDecision = Callable[..., BenefitDecided]


@dataclass
class Ticker:
    """A monotonic clock that moves only when a test moves it."""

    now: float = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticker() -> Ticker:
    return Ticker()


@pytest.fixture
def make_decision() -> MakeDecision:
    """``make_decision("B2", "ended", entitlement=...)``: a decision of 2026-03-02."""

    def _make(benefit: str = "B1", outcome: str = "assigned", **extra: Any) -> BenefitDecided:
        return BenefitDecided.model_validate(
            {
                "decision_id": "3f9a0c12-7d4e-5b6a-8c9d-0e1f2a3b4c5d",
                "case_id": f"{benefit}:case",
                "benefit": benefit,
                "outcome": outcome,
                "decided_on": date(2026, 3, 2),
                "rule_version": "test",
                "parameters": {},
                "facts": {},
                "reason": "test",
                **extra,
            }
        )

    return _make
