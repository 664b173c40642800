from datetime import UTC, datetime

from benefits_ops.pin_redaction import HASH_MARK
from benefits_ops.timeline import EventView, build

ME, CHILD = "a" * 32, "b" * 32
T = "az.gov.benefits.{}.v1"


def at(minute: int) -> datetime:
    return datetime(2026, 3, 1, 10, minute, tzinfo=UTC)


def decision(decision_id: str, outcome: str, supersedes: str | None = None) -> EventView:
    payload = {
        "decision_id": decision_id,
        "benefit": "B1",
        "outcome": outcome,
        "reason": f"B1 {outcome}: because.",
        "recipient": {"pin": HASH_MARK + ME},
        "amount": "250",
        "supersedes": supersedes,
        "rule_version": "v1",
        "parameters": {"p": "1"},
        "facts": {"f": 1},
    }
    return EventView(
        T.format("benefit-decided"), at(5 if supersedes else 1), "benefit-decisions", payload
    )


def test_entries_are_in_time_order_and_a_superseded_decision_says_so() -> None:
    person = EventView(
        T.format("person-recorded"),
        at(0),
        "persons",
        {"pin": HASH_MARK + ME, "given_name": "Leyla", "surname": "Aliyeva"},
    )
    events = [decision("d2", "revoked", supersedes="d1"), decision("d1", "assigned"), person]
    timeline = build(ME, events)
    assert timeline.name == "Leyla Aliyeva"
    assert [e.title for e in timeline.entries] == [
        "Population registry record",
        "Birth grant granted",
        "Birth grant withdrawn",
    ]
    first = timeline.entries[1]
    assert first.superseded_by == "d2"
    assert first.details["recipient"] == "this citizen (Leyla Aliyeva)"
    assert first.details["amount"] == "250.00 AZN"
    assert timeline.entries[2].details["supersedes"] == "d1"


def test_an_unknown_type_is_shown_as_it_is() -> None:
    odd = EventView(T.format("owed-to-estate"), at(2), "payments", {"amount": "12.00"})
    entry = build(ME, [odd]).entries[0]
    assert entry.title == "owed-to-estate" and "amount: 12.00" in entry.summary
