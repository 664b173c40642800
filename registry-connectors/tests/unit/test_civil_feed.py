"""A page of the civil feed: each record once, keyed by a hash, bad ones quarantined."""

import json
from datetime import UTC, datetime

from benefits_shared.pin import PinHasher
from civil_samples import birth, cancellation, correction, death
from registry_connectors.civil_feed import Page, PagePlan, PagePlanner, Seen
from registry_connectors.outgoing import Outgoing

HASHER = PinHasher("unit-test-key")
TOPIC = "life-events"
AT = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
PLANNER = PagePlanner(HASHER, TOPIC)


def plan(records: list[object], after: int = 0, known: dict[str, Seen] | None = None) -> PagePlan:
    last = max([after, *(r["seq"] for r in records if isinstance(r, dict))])  # type: ignore[type-var]
    return PLANNER.plan(Page(records, last), after, known or {}, AT)


def headers(message: Outgoing) -> dict[str, str]:
    return {k: v.decode() for k, v in message.headers}


def events(p: PagePlan) -> list[Outgoing]:
    return [m for m in p.messages if m.topic == TOPIC]


def dead(p: PagePlan) -> list[Outgoing]:
    return [m for m in p.messages if m.topic == f"{TOPIC}.dlq"]


def test_each_record_becomes_one_event_keyed_by_the_subjects_pin_hash() -> None:
    p = plan([birth(), death()])
    birth_event, death_event = events(p)
    assert birth_event.key == HASHER.kafka_key("7KQ2M9A")
    assert headers(birth_event)["ce_subject"] == HASHER.digest("7KQ2M9A")
    assert headers(birth_event)["ce_type"] == "az.gov.benefits.birth-registered.v1"
    assert death_event.key == HASHER.kafka_key("2BC4D6F")
    assert (p.published, p.quarantined) == (2, 0)


def test_no_pin_is_in_a_key_or_a_header() -> None:
    p = plan([birth(), death(), cancellation(), correction()])
    for message in p.messages:
        text = (message.key or b"").decode() + json.dumps(headers(message))
        for pin in ("7KQ2M9A", "5XH81PZ", "2BC4D6F", "3JK5L7M", "5XH81PQ"):
            assert pin not in text


def test_the_event_time_is_the_registration_time_so_a_resend_is_identical() -> None:
    assert headers(events(plan([birth()]))[0])["ce_time"] == "2026-03-02T10:15:00+04:00"


def test_a_record_delivered_again_on_a_later_page_is_not_sent_again() -> None:
    first = plan([birth()])
    again = plan([birth(seq=2000)], after=1042, known=first.remember)
    assert again.messages == []
    assert again.redelivered == 1


def test_a_record_delivered_twice_in_one_page_is_sent_once() -> None:
    p = plan([birth(), death(), birth(seq=1050)])
    assert len(events(p)) == 2
    assert p.redelivered == 1


def test_a_record_sent_again_after_a_crash_carries_the_same_event_id() -> None:
    before_crash = events(plan([birth()]))[0]
    after_restart = events(plan([birth(seq=1099)], after=1000))[0]  # nothing remembered
    assert after_restart.id == before_crash.id
    assert after_restart.key == before_crash.key


def test_a_cancellation_is_keyed_like_the_record_it_cancels_seen_on_the_same_page() -> None:
    p = plan([birth(), cancellation(), correction()])
    keys = {headers(m)["ce_type"].split(".")[-2]: m.key for m in events(p)}
    assert keys["record-cancelled"] == keys["birth-registered"] == HASHER.kafka_key("7KQ2M9A")
    assert keys["record-corrected"] == HASHER.kafka_key("7KQ2M9A")


def test_a_cancellation_is_keyed_like_the_record_it_cancels_seen_on_an_earlier_page() -> None:
    earlier = plan([birth()])
    p = plan([cancellation()], after=1042, known=earlier.remember)
    assert events(p)[0].key == HASHER.kafka_key("7KQ2M9A")


def test_a_cancellation_of_a_record_never_seen_is_keyed_by_the_hash_of_its_number() -> None:
    p = plan([cancellation(cancels="B-2019-0000001")])
    assert events(p)[0].key == HASHER.kafka_key("B-2019-0000001")
    assert headers(events(p)[0])["ce_subject"] == HASHER.digest("B-2019-0000001")


def test_a_correction_of_a_correction_follows_the_chain_to_the_person() -> None:
    second = correction(record_no="X-2026-0000011", seq=1046, corrects="X-2026-0000010")
    p = plan([birth(), correction(), second])
    assert {m.key for m in events(p)} == {HASHER.kafka_key("7KQ2M9A")}


def test_a_malformed_record_is_quarantined_with_its_reason_and_the_feed_goes_on() -> None:
    bad = birth(record_no="B-2026-0001235", seq=1041)
    bad["child"]["pin"] = "7KQ2M9"
    p = plan([bad, death()])
    (letter,) = dead(p)
    assert headers(letter) | {"dlq_at": "", "dlq_id": ""} == {
        "dlq_id": "",
        "dlq_reason": "child.pin is not a PIN (7 of [0-9A-HJ-NP-Z])",
        "dlq_kind": "bad_pin",
        "dlq_topic": TOPIC,
        "dlq_group": "registry-connectors.civil-registry",
        "dlq_source": "civil-registry",
        "dlq_record_no": "B-2026-0001235",
        "dlq_seq": "1041",
        "dlq_at": "",
    }
    assert json.loads(letter.value) == bad
    assert len(events(p)) == 1
    assert p.cursor == 1043


def test_a_quarantined_record_has_a_deterministic_id_and_is_not_quarantined_twice() -> None:
    bad = birth(office=None)
    first = plan([bad])
    after_crash = PLANNER.plan(Page([bad], 1042), 0, {}, datetime(2027, 1, 1, tzinfo=UTC))
    assert dead(first)[0].id == dead(after_crash)[0].id
    assert headers(dead(first)[0])["dlq_id"] == dead(first)[0].id
    assert plan([birth(office=None, seq=1500)], 1042, first.remember).messages == []


def test_a_record_number_published_with_other_content_is_quarantined_as_a_conflict() -> None:
    first = plan([birth()])
    changed = birth(seq=1600, office="Ganja")
    p = plan([changed], after=1042, known=first.remember)
    assert headers(dead(p)[0])["dlq_kind"] == "conflicting_redelivery"
    assert events(p) == []
    remembered = p.remember["B-2026-0001234"]
    assert remembered.published_hash == first.remember["B-2026-0001234"].published_hash
    again = plan([birth(seq=1700, office="Ganja")], after=1600, known=p.remember)
    assert (again.messages, again.redelivered) == ([], 1)  # not quarantined twice


def test_a_record_quarantined_before_and_now_sent_valid_is_published() -> None:
    first = plan([birth(office=None)])
    p = plan([birth(seq=1600)], after=1042, known=first.remember)
    assert len(events(p)) == 1
    assert p.remember["B-2026-0001234"].published_hash is not None


def test_the_cursor_moves_to_the_highest_seq_across_gaps() -> None:
    assert plan([birth(seq=7), death(seq=93)], after=5).cursor == 93


def test_records_delivered_again_from_before_the_cursor_do_not_move_it_back() -> None:
    assert plan([birth(seq=3)], after=10).cursor == 10


def test_an_empty_page_keeps_the_cursor() -> None:
    assert PLANNER.plan(Page([], 10), 10, {}, AT).cursor == 10


def test_a_page_whose_records_have_no_readable_seq_moves_to_last_seq() -> None:
    broken = birth(seq="x")
    p = PLANNER.plan(Page([broken], 1042), 1000, {}, AT)
    assert (p.cursor, p.quarantined) == (1042, 1)


def test_the_planner_remembers_each_record_number_with_its_subject() -> None:
    p = plan([birth(), cancellation(cancels="B-2019-0000001")])
    assert p.remember["B-2026-0001234"].subject == HASHER.digest("7KQ2M9A")
    assert p.remember["K-2026-0000003"].subject == HASHER.digest("B-2019-0000001")
