"""A decision is queued as exactly the event the shared library makes of it."""

from __future__ import annotations

import json
from datetime import date

from benefits_shared.db.outbox import OutgoingEvent
from eligibility_engine import birth_grant
from eligibility_engine.adapters.decision_rows import SOURCE, decision_event
from eligibility_engine.decisions import benefit_decided
from eligibility_engine.facts import BirthCase, BirthRecord, Person
from eligibility_engine.parameters import Parameters

MOTHER = Person("MUM0001", "Leyla", "Məmmədova", date(1994, 7, 12), "F", "+994501234567")
BIRTH = BirthRecord("B-2025-0000001", "KID0001", date(2025, 3, 1), mother_pin="MUM0001")


def test_the_queued_event_is_what_to_cloudevent_and_the_outbox_row_make_of_the_decision() -> None:
    on = date(2025, 3, 5)
    result = birth_grant.decide(BirthCase(BIRTH, {"MUM0001": MOTHER}), Parameters.packaged(), on)
    decided = benefit_decided(result, "B1:x", on)
    envelope, value = decision_event(decided)
    event = decided.to_cloudevent(SOURCE, envelope.time, None)
    expected = OutgoingEvent("decisions", b"B1:x", event).row()
    assert envelope.headers() == event.headers()
    assert value.encode() == expected["value"]
    assert json.loads(value) == event.data
    assert envelope.time.isoformat() == "2025-03-05T12:00:00+04:00"
