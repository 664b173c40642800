"""What a selection's records name: PINs, certificates, record numbers and case ids,
wherever they are in a payload; looked up a bounded chunk at a time."""

from __future__ import annotations

from eligibility_engine.adapters import replay_selection
from eligibility_engine.adapters.replay_selection import Named


def test_every_kind_of_name_is_found_nested_or_not() -> None:
    named = Named()
    named.add({"child": {"pin": "KID0001"}, "mother_pin": "MUM0001", "father_pin": None})
    named.add({"certificate_no": "MSE-1", "pin": "HLD0001"})
    named.add({"record_no": "R-2", "cancels": "R-1", "reason": "twice"})
    named.add({"case_id": "B1:abc", "recipient_pin": "MUM0002", "amount": "250.00"})
    assert named.pins == {"KID0001", "MUM0001", "HLD0001", "MUM0002"}
    assert (named.certificates, named.records, named.cases) == (
        {"MSE-1"},
        {"R-2", "R-1"},
        {"B1:abc"},
    )


def test_names_are_looked_up_one_bounded_chunk_at_a_time(monkeypatch: object) -> None:
    monkeypatch.setattr(replay_selection, "CHUNK", 2)  # type: ignore[attr-defined]
    named = Named(pins={"A", "B", "C"}, cases={"B1:x"})
    chunks = list(named.params())
    assert [c["pins"] for c in chunks] == [["A", "B"], ["C"], []]
    assert chunks[-1]["cases"] == ["B1:x"]
    assert all(sum(len(v) for v in c.values()) <= 2 for c in chunks)
