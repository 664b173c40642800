from datetime import UTC, datetime

import pytest
from benefits_ops.pin_redaction import HASH_MARK
from benefits_ops.timeline import RENDERERS, DeadLetterView, EventView, build
from benefits_shared.contracts import REGISTRY
from benefits_shared.contracts.progress import ProgressMarker
from benefits_shared.topics import BENEFIT_DECISIONS, LIFE_EVENTS, NOTICES, PAYMENTS, PERSONS

ME, CHILD = "a" * 32, "b" * 32
T = "az.gov.benefits.{}.v1"
CITIZEN_TOPICS = (LIFE_EVENTS, PERSONS, BENEFIT_DECISIONS, PAYMENTS, NOTICES)


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
    odd = EventView(T.format("bonus-granted"), at(2), "payments", {"amount": "12.00"})
    entry = build(ME, [odd]).entries[0]
    assert entry.title == "bonus-granted" and "amount: 12.00" in entry.summary


@pytest.mark.parametrize(
    "contract",
    [
        c
        for c in REGISTRY.values()
        # Progress markers name no person: they never reach a timeline.
        if c.TOPIC in {t.name for t in CITIZEN_TOPICS} and not issubclass(c, ProgressMarker)
    ],
    ids=lambda c: c.NAME,
)
def test_every_type_of_a_citizen_s_topics_is_told_in_plain_words(contract: type) -> None:
    assert contract.NAME in RENDERERS


def test_days_owed_to_an_estate_say_whose_how_many_and_why() -> None:
    owed = {
        "owed_id": "o-1",
        "decision_id": "d-1",
        "benefit": "B2",
        "deceased_pin": HASH_MARK + ME,
        "died_on": "2026-03-14",
        "amount": "140",
        "period_start": "2026-03-01",
        "period_end": "2026-03-14",
        "days": 14,
        "monthly_rate": "310.00",
        "days_in_month": 31,
        "reason": "days the bank refused (MD07)",
        "payment_id": "pay-7",
    }
    entry = build(ME, [EventView(T.format("owed-to-estate"), at(3), "payments", owed)]).entries[0]
    assert (entry.title, entry.state, entry.decision_id) == ("Owed to the estate", "owed", "d-1")
    assert entry.summary.startswith("140.00 AZN for 14 days (2026-03-01 – 2026-03-14)")
    assert "estate of this citizen, who died on 2026-03-14" in entry.summary
    assert entry.details["refused payment (MD07)"] == "pay-7"
    assert entry.details["rate"] == "310.00 AZN/month, a month of 31 days"


def test_a_cancelled_payment_and_a_parked_notice_are_told_in_words() -> None:
    cancelled = {"payment_id": "p", "decision_id": "d", "amount": "250", "reason": "withdrawn"}
    cancelled |= {"recipient_pin": HASH_MARK + ME, "cancelled_by": "d2"}
    parked = {"notice_id": "n", "decision_id": "d", "kind": "grant_assigned", "attempts": 5}
    events = [
        EventView(T.format("payment-cancelled"), at(1), "payments", cancelled),
        EventView(T.format("notice-parked"), at(2), "notices", {**parked, "reason": "503"}),
    ]
    pay, sms = build(ME, events).entries
    assert pay.title == "Payment cancelled" and "the benefit was withdrawn" in pay.summary
    assert (sms.title, sms.state, sms.details["last error"]) == (
        "SMS undeliverable (parked)",
        "parked",
        "503",
    )
    assert "after 5 attempts" in sms.summary and sms.decision_id == "d"


def test_a_dead_letter_about_the_citizen_is_in_the_timeline_in_time_order() -> None:
    dead = DeadLetterView(
        7,
        "life-events",
        "child.birth_date: not a date",
        "contract",
        "open",
        at(2),
        T.format("birth-registered"),
        "eligibility-engine",
    )
    entries = build(ME, [decision("d1", "assigned")], [dead]).entries
    assert [e.title for e in entries] == [
        "Birth grant granted",
        "Record not processed (birth-registered)",
    ]
    told = entries[1]
    assert (told.summary, told.state, told.area) == (
        "child.birth_date: not a date",
        "open",
        "dead-letters",
    )
    assert told.details["origin topic"] == "life-events"
    assert told.details["refused by"] == "eligibility-engine"
    assert "not processed" in told.details["what became of it"]
