"""The whole journey, for every benefit, through partner faults and outages and every
service killed in turn: every count reconciles across our records, the bank simulator's
ledger and the SMS simulator's log."""

from __future__ import annotations

from collections import defaultdict

import pytest
from devstack.components import SERVICES
from e2e_run import E2ERun, observer_of, truth

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


async def test_each_registry_record_is_one_event_or_quarantined_with_its_reason(
    e2e: E2ERun,
) -> None:
    observer = observer_of(e2e)
    try:
        events = await observer.read("life-events")
        quarantined = await observer.read("life-events.dlq")
    finally:
        await observer.close()
    ids: dict[str, set[str]] = defaultdict(set)
    for r in events:
        if r.type.endswith("-progress.v1"):
            continue  # the connectors' progress markers (ADR 0008)
        key = r.value.get("record_no") or f"{r.value.get('source_file')}:{r.value.get('line')}"
        ids[key].add(r.id)
    civil = [t for t in truth(e2e.dataset) if t["source"] == "civil"]
    valid = {t["record_no"] for t in civil if t["valid"] and not t.get("redelivery_of")}
    invalid = [t for t in civil if not t["valid"]]
    assert sorted(valid - set(ids)) == [], "valid civil records that never became an event"
    assert len(quarantined) >= len(invalid) > 0
    assert [k for k, v in ids.items() if len(v) > 1] == [], "a record with two event ids"
