"""The whole journey, for every benefit, through partner faults and outages and every
service killed in turn: every count reconciles across our records, the bank simulator's
ledger and the SMS simulator's log."""

from __future__ import annotations

import pytest
from devstack.components import SERVICES
from devstack.invariants import truth
from e2e_run import E2ERun

RECORDS_CHECK = "every registry record is one event or quarantined"

pytestmark = pytest.mark.timeout(1800)  # the first test also waits for the shared run


def test_every_count_reconciles_after_kills_and_outages(e2e: E2ERun) -> None:
    failed = [f"{c.name}: {c.detail}" for c in e2e.summary.checks if not c.ok]
    assert failed == []
    # Every instance of every service was SIGKILLed at least once (one per round, in turn).
    assert set(e2e.kills) == {c.name for c in e2e.plan.components if not c.simulator}
    assert {c.service or c.name for c in e2e.plan.components if not c.simulator} == set(SERVICES)


def test_every_benefit_makes_the_whole_journey(e2e: E2ERun) -> None:
    s = e2e.summary
    for benefit in ("B1", "B2", "B3"):
        assert s.decisions[(benefit, "assigned")] > 0, benefit
        assert s.paid[benefit][0] > 0, benefit
    assert s.sms > 0
    assert s.notices["delivered"] + s.notices["accepted"] + s.notices["failed"] > 0


def test_each_registry_record_is_one_event_or_quarantined_with_its_reason(
    e2e: E2ERun,
) -> None:
    # devstack.invariants checks it after the run (make chaos checks it the same way).
    check = next(c for c in e2e.summary.checks if c.name == RECORDS_CHECK)
    assert check.ok, check.detail
    invalid = [t for t in truth(e2e.dataset) if t["source"] == "civil" and not t["valid"]]
    assert invalid  # the messy dataset sent some, and the check counted their quarantine
