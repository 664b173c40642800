"""The civil connector against the civil-registry simulator, on real Kafka and PostgreSQL:
every record of registries.md §1 ends as exactly one event or in quarantine with its reason,
whatever the feed does (gaps, re-deliveries, 503, time-outs, 429, an outage)."""

import copy
from pathlib import Path
from typing import Any

from connector_rig import HASHER, Message, Rig, by, read_jsonl, wait_until
from registry_connectors.local_registries import write_dataset

CHILD = "7KQ2M9A"


def birth(seq: int, number: str, pin: str = CHILD, **changes: Any) -> dict[str, Any]:
    record = {
        "seq": seq,
        "record_no": number,
        "kind": "BIRTH",
        "registered_at": "2026-03-02T10:15:00+04:00",
        "office": "Baku-Nasimi",
        "child": {
            "pin": pin,
            "given_name": "Aysel",
            "surname": "Mammadova",
            "birth_date": "2026-03-01",
            "sex": "F",
        },
        "mother_pin": "5XH81PZ",
        "father_pin": None,
    }
    return record | changes


def death(seq: int, number: str, **changes: Any) -> dict[str, Any]:
    record = {
        "seq": seq,
        "record_no": number,
        "kind": "DEATH",
        "registered_at": "2026-03-02T11:00:00+04:00",
        "office": "Sumgait",
        "deceased_pin": "2BC4D6F",
        "death_date": "2026-02-28",
        "informant_pin": "3JK5L7M",
    }
    return record | changes


def cancellation(seq: int, number: str, cancels: str) -> dict[str, Any]:
    return {
        "seq": seq,
        "record_no": number,
        "kind": "CANCELLATION",
        "registered_at": "2026-03-03T09:00:00+04:00",
        "cancels": cancels,
        "reason": "registered twice",
    }


def correction(seq: int, number: str, corrects: str, changes: dict[str, Any]) -> dict[str, Any]:
    return {
        "seq": seq,
        "record_no": number,
        "kind": "CORRECTION",
        "registered_at": "2026-03-03T09:30:00+04:00",
        "corrects": corrects,
        "changes": changes,
    }


def bad_child_pin() -> dict[str, Any]:
    record = birth(5, "B-2026-0000002", pin="8PL3N6")
    return record


def missing_office() -> dict[str, Any]:
    record = birth(7, "B-2026-0000004", pin="9QR4S7T")
    del record["office"]
    return record


def impossible_birth_date() -> dict[str, Any]:
    record = birth(6, "B-2026-0000003", pin="4RT7Y2K")
    record["child"] = copy.deepcopy(record["child"]) | {"birth_date": "2026-02-30"}
    return record


FEED = [
    birth(1, "B-2026-0000001"),
    death(2, "D-2026-0000001"),
    bad_child_pin(),  # seq 5, after a gap
    impossible_birth_date(),
    missing_office(),
    death(9, "D-2026-0000002", death_date="2026-04-31"),
    cancellation(10, "K-2026-0000001", cancels="B-2026-0000001"),
    correction(11, "X-2026-0000001", "B-2026-0000009", {"father_pin": "6DF2G8H"}),
    birth(12, "B-2026-0000009", pin="8PL3N6W"),  # after its correction
    birth(14, "B-2026-0000001"),  # delivered again, same content
    {**death(15, "M-2026-0000001"), "kind": "MARRIAGE"},
    bad_child_pin() | {"seq": 16},  # a malformed record delivered again
    death(20, "D-2026-0000003", registered_at="2026-02-29T10:00:00+04:00"),
    cancellation(21, "K-2026-0000002", cancels="B-2019-0000001"),  # never seen
    correction(22, "X-2026-0000002", "B-2026-0000009", {"mother_pin": "5xh81pz"}),
    death(23, "D-2026-0000001", office="Ganja"),  # same number, other content
]
EVENTS = {
    "B-2026-0000001": ("birth-registered", HASHER.kafka_key(CHILD)),
    "D-2026-0000001": ("death-registered", HASHER.kafka_key("2BC4D6F")),
    "K-2026-0000001": ("record-cancelled", HASHER.kafka_key(CHILD)),
    "X-2026-0000001": ("record-corrected", HASHER.kafka_key("B-2026-0000009")),
    "B-2026-0000009": ("birth-registered", HASHER.kafka_key("8PL3N6W")),
    "K-2026-0000002": ("record-cancelled", HASHER.kafka_key("B-2019-0000001")),
}
QUARANTINED = {
    "B-2026-0000002": ("bad_pin", "child.pin is not a PIN (7 of [0-9A-HJ-NP-Z])"),
    "B-2026-0000003": ("impossible_date", "child.birth_date is not an existing date"),
    "B-2026-0000004": ("missing_field", "office is missing"),
    "D-2026-0000002": ("impossible_date", "death_date is not an existing date"),
    "M-2026-0000001": ("unknown_kind", "kind is not BIRTH, DEATH, CANCELLATION or CORRECTION"),
    "D-2026-0000003": ("impossible_date", "registered_at is not an existing date"),
    "X-2026-0000002": ("bad_pin", "changes.mother_pin is not a PIN (7 of [0-9A-HJ-NP-Z])"),
    "D-2026-0000001": (
        "conflicting_redelivery",
        "record_no was already published with other content",
    ),
}


def record_no(message: Message) -> str:
    return str(message.data["record_no"])


def _name(event: Message) -> str:
    """``az.gov.benefits.birth-registered.v1`` → ``birth-registered``."""
    return event.headers["ce_type"].split(".")[-2]


def _kind(letter: Message) -> str:
    return letter.headers["dlq_kind"]


async def run_to_end(rig: Rig, last_seq: int, timeout: float = 60) -> None:
    connector = rig.start("civil")

    async def at_end() -> bool:
        checkpoint = await rig.checkpoint("civil-registry")
        return checkpoint is not None and checkpoint["seq"] == last_seq

    try:
        await wait_until(at_end, timeout, f"the cursor at {last_seq}\n{rig.logs()[-3000:]}")
    finally:
        assert rig.terminate(connector) == 0, rig.logs()[-3000:]


async def test_every_kind_and_every_malformation_ends_once_as_an_event_or_in_quarantine(
    rig: Rig, tmp_path: Path
) -> None:
    write_dataset(tmp_path / "data", FEED)
    registries = rig.serve(tmp_path / "data", REGISTRY_SIM_SEED="3")
    # every page starts with up to 3 records the previous page already delivered
    registries.set_faults(registries.civil_url, redelivery_rate=1.0, redelivery_max=3)
    rig.env["CIVIL_PAGE_SIZE"] = "4"
    await run_to_end(rig, 23, 60)

    events = by(await rig.read(rig.life_events), record_no)
    assert {n: (_name(m[0]), m[0].key) for n, m in events.items()} == EVENTS
    assert all(len(messages) == 1 for messages in events.values())
    assert events["B-2026-0000001"][0].headers["ce_subject"] == HASHER.digest(CHILD)

    letters = by(await rig.read(f"{rig.life_events}.dlq"), lambda m: m.headers["dlq_record_no"])
    assert {n: (_kind(m[0]), m[0].headers["dlq_reason"]) for n, m in letters.items()} == QUARANTINED
    assert all(len(messages) == 1 for messages in letters.values())
    assert letters["B-2026-0000002"][0].data == bad_child_pin()


async def test_a_messy_feed_through_a_faulty_registry_loses_nothing_and_invents_nothing(
    rig: Rig, messy_dataset: Path
) -> None:
    truth = [t for t in read_jsonl(messy_dataset / "truth.jsonl") if t["source"] == "civil"]
    registries = rig.serve(messy_dataset, REGISTRY_SIM_SEED="5")
    registries.set_faults(
        registries.civil_url,
        server_error_rate=0.2,
        timeout_rate=0.2,
        timeout_seconds=1.0,
        rate_limit=5,
        redelivery_rate=0.3,
    )
    rig.env["CIVIL_PAGE_SIZE"] = "20"
    connector = rig.start("civil")
    await wait_until(lambda: _cursor_above(rig, truth[len(truth) // 2]["seq"]), 60, "half the feed")
    registries.set_faults(registries.civil_url, outage=True)  # down for a while
    await wait_until(lambda: _unavailable(rig), 10, "503s during the outage")
    registries.set_faults(registries.civil_url, outage=False)
    last_seq = max(t["seq"] for t in truth)
    await wait_until(lambda: _cursor_above(rig, last_seq - 1), 120, "the end of the feed")
    assert rig.terminate(connector) == 0

    stats = registries.stats(registries.civil_url)
    assert min(stats["unavailable"], stats["slow"], stats["rate_limited"]) > 0, stats
    assert stats["records_redelivered"] > 0, stats
    events = by(await rig.read(rig.life_events), record_no)
    letters = by(await rig.read(f"{rig.life_events}.dlq"), lambda m: m.headers["dlq_record_no"])
    valid = {t["record_no"] for t in truth if t["valid"]}
    defects = {t["record_no"]: t["defect"] for t in truth if not t["valid"]}
    assert set(events) == valid
    assert all(len(messages) == 1 for messages in events.values())
    assert {n: m[0].headers["dlq_kind"] for n, m in letters.items()} == defects
    assert all(len(messages) == 1 for messages in letters.values())


async def _cursor_above(rig: Rig, seq: int) -> bool:
    checkpoint = await rig.checkpoint("civil-registry")
    return checkpoint is not None and checkpoint["seq"] > seq


async def _unavailable(rig: Rig) -> bool:
    assert rig.registries is not None
    return bool(rig.registries.stats(rig.registries.civil_url).get("unavailable", 0) > 3)
