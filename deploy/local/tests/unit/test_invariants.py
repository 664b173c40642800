"""What must hold after a run through faults (``devstack.invariants``): each registry
record one event or quarantined, no effect's event id twice, no decision superseded twice."""

from __future__ import annotations

from typing import Any

from devstack.invariants import one_line_of_decisions, published_once, registry_records
from devstack.observe import Record

BIRTH = "az.gov.benefits.birth-registered.v1"


def event(record_no: str, event_id: str) -> Record:
    return Record(BIRTH, {"record_no": record_no}, 0, event_id)


def civil(record_no: str, valid: bool = True, **more: Any) -> dict[str, Any]:
    return {"source": "civil", "record_no": record_no, "valid": valid, **more}


def decision(decision_id: str, supersedes: str | None = None) -> Record:
    value = {"decision_id": decision_id, "supersedes": supersedes}
    return Record("az.gov.benefits.benefit-decided.v1", value, 0, decision_id)


def test_every_valid_record_an_event_and_the_invalid_quarantined_holds() -> None:
    truth = [civil("R1"), civil("R2"), civil("R2b", redelivery_of="R2"), civil("R3", False)]
    quarantined = [Record("", {}, 0, "q1")]
    assert registry_records([event("R1", "e1"), event("R2", "e2")], quarantined, truth).ok


def test_a_valid_record_without_an_event_fails() -> None:
    check = registry_records([event("R1", "e1")], [], [civil("R1"), civil("R2")])
    assert not check.ok
    assert "1 of 2 valid" in check.detail


def test_a_record_with_two_event_ids_fails() -> None:
    events = [event("R1", "e1"), event("R1", "e1-again")]
    assert not registry_records(events, [], [civil("R1")]).ok


def test_a_record_delivered_again_with_its_one_id_holds_and_is_counted() -> None:
    check = registry_records([event("R1", "e1"), event("R1", "e1")], [], [civil("R1")])
    assert check.ok
    assert "1 events delivered again with their one id" in check.detail


def test_an_invalid_record_neither_event_nor_quarantined_fails() -> None:
    assert not registry_records([event("R1", "e1")], [], [civil("R1"), civil("X", False)]).ok


def test_an_event_id_twice_on_a_topic_fails_and_once_on_each_holds() -> None:
    assert published_once({"payments": [event("a", "e1")], "notices": [event("a", "e1")]}).ok
    assert not published_once({"payments": [event("a", "e1"), event("a", "e1")]}).ok


def test_a_decision_superseded_twice_fails() -> None:
    line = [decision("d1"), decision("d2", "d1"), decision("d3", "d2")]
    assert one_line_of_decisions(line).ok
    assert not one_line_of_decisions([*line, decision("d4", "d2")]).ok
