"""A civil connector killed with SIGKILL at any moment, three times, loses nothing: every
record of the feed is in ``life-events`` (or quarantined) with exactly one distinct id."""

from pathlib import Path
from typing import Any

from connector_rig import Message, Rig, by, wait_until
from registry_connectors.bench import births
from registry_connectors.local_registries import write_dataset

RECORDS = 2000


def feed() -> list[dict[str, Any]]:
    """Births with a malformed one every 50th and a cancellation of a birth every 70th."""
    records = list(births(RECORDS))
    for i, record in enumerate(records):
        if i % 50 == 7:
            record["child"]["pin"] = record["child"]["pin"][:-1]
        elif i % 70 == 9:
            cancelled = records[i - 5]["record_no"]
            for field in ("office", "child", "mother_pin", "father_pin"):
                del record[field]
            record |= {"kind": "CANCELLATION", "cancels": cancelled, "reason": "twice"}
    return records


async def test_a_connector_killed_mid_page_three_times_loses_nothing(
    rig: Rig, tmp_path: Path
) -> None:
    records = serve_slow_feed(rig, tmp_path)
    for fraction in (0.25, 0.5, 0.75):
        connector = rig.start("civil")
        await wait_until(lambda f=fraction: _sent_at_least(rig, f), 60, f"{fraction} sent")
        rig.kill(connector)
    connector = rig.start("civil")
    await wait_until(lambda: _cursor_at(rig, RECORDS), 90, "the end of the feed")
    assert rig.terminate(connector) == 0

    events = by(await rig.read(rig.life_events), lambda m: str(m.data["record_no"]))
    letters = by(await rig.read(f"{rig.life_events}.dlq"), lambda m: m.headers["dlq_record_no"])
    malformed = {r["record_no"] for i, r in enumerate(records) if i % 50 == 7}
    assert set(letters) == malformed
    assert set(events) == {r["record_no"] for r in records} - malformed
    assert all(len({m.headers["ce_id"] for m in ms}) == 1 for ms in events.values())
    assert all(len({m.headers["dlq_id"] for m in ms}) == 1 for ms in letters.values())
    for record in records:
        if record["kind"] == "CANCELLATION" and record["cancels"] not in malformed:
            assert _key(events[record["record_no"]]) == _key(events[record["cancels"]])


def serve_slow_feed(rig: Rig, tmp_path: Path) -> list[dict[str, Any]]:
    """Serve ``feed()`` in pages of 20, each answer a little late; its records."""
    records = feed()
    write_dataset(tmp_path / "data", records)
    registries = rig.serve(tmp_path / "data")
    registries.set_faults(registries.civil_url, timeout_rate=1.0, timeout_seconds=0.04)
    rig.env["CIVIL_PAGE_SIZE"] = "20"
    return records


def _key(messages: list[Message]) -> bytes | None:
    return messages[0].key


async def _sent_at_least(rig: Rig, fraction: float) -> bool:
    sent = await rig.count(rig.life_events) + await rig.count(f"{rig.life_events}.dlq")
    return sent >= fraction * RECORDS


async def _cursor_at(rig: Rig, seq: int) -> bool:
    checkpoint = await rig.checkpoint("civil-registry")
    return checkpoint is not None and checkpoint["seq"] == seq
