"""The MSE connector's step over fakes: each file once, by name and content, and a progress
marker after the files a look found."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from benefits_shared.clock import FixedClock
from benefits_shared.pin import PinHasher
from fakes import FakeDropFolder, FakeMseMemory, FakePublisher, KafkaDown
from registry_connectors.entrypoints.mse_watcher import MseParts, MseWatcher
from registry_connectors.mse_files import FilePlanner

HEADER = "certificate_no;pin;decision;group;valid_from;valid_until;effective_from;issued_at"
ROW = "MSE-26-004512;4RT7Y2K;ISSUED;II;01.03.2026;01.03.2027;;02.03.2026"
OTHER = "MSE-26-004513;8PL3N6W;ISSUED;CHILD;15.02.2026;;;02.03.2026"


def csv(*rows: str) -> bytes:
    return ("\ufeff" + "".join(r + "\r\n" for r in (HEADER, *rows))).encode()


START = datetime(2026, 3, 3, tzinfo=UTC)


def watcher(
    folder: FakeDropFolder,
    memory: FakeMseMemory,
    publisher: FakePublisher,
    clock: FixedClock | None = None,
) -> MseWatcher:
    return MseWatcher(
        MseParts(
            folder=folder,
            store=memory,
            planner=FilePlanner(PinHasher("k"), "life-events"),
            publisher=publisher,
            clock=clock or FixedClock(START),
        )
    )


def markers(publisher: FakePublisher) -> list[tuple[int | None, dict[str, Any]]]:
    return [(m.partition, json.loads(m.value)) for m in publisher.sent if m.partition is not None]


async def test_a_file_is_processed_once_even_by_a_restarted_connector() -> None:
    folder, memory, publisher = FakeDropFolder(), FakeMseMemory(), FakePublisher()
    folder.files["mse_20260302.csv"] = csv(ROW)
    await watcher(folder, memory, publisher).step()
    await watcher(folder, memory, publisher).step()
    assert len(publisher.records) == 1


async def test_a_file_already_seen_by_this_process_is_not_read_again() -> None:
    folder, memory, publisher = FakeDropFolder(), FakeMseMemory(), FakePublisher()
    folder.files["mse_20260302.csv"] = csv(ROW)
    connector = watcher(folder, memory, publisher)
    await connector.step()
    await connector.step()
    assert folder.reads == 1


async def test_the_same_name_uploaded_again_with_the_same_content_sends_nothing() -> None:
    folder, memory, publisher = FakeDropFolder(), FakeMseMemory(), FakePublisher()
    folder.files["mse_20260302.csv"] = csv(ROW)
    await watcher(folder, memory, publisher).step()
    folder.files["mse_20260302.csv"] = csv(ROW)  # re-uploaded: a new mtime, same bytes
    await watcher(folder, memory, publisher).step()
    assert len(publisher.records) == 1


async def test_a_corrected_file_sends_only_its_new_rows() -> None:
    folder, memory, publisher = FakeDropFolder(), FakeMseMemory(), FakePublisher()
    folder.files["mse_20260302.csv"] = csv(ROW, "bad;row")
    connector = watcher(folder, memory, publisher)
    await connector.step()
    folder.files["mse_20260302_2.csv"] = csv(ROW, OTHER)
    await connector.step()
    events = [m for m in publisher.records if m.topic == "life-events"]
    assert len(events) == 2
    assert len(publisher.records) == 3  # and the bad row of the first file in quarantine


async def test_files_not_named_by_the_commission_are_left_alone() -> None:
    folder, memory, publisher = FakeDropFolder(), FakeMseMemory(), FakePublisher()
    folder.files["mse_20260302.csv.tmp"] = b"half a fi"
    await watcher(folder, memory, publisher).step()
    assert (folder.reads, publisher.records) == (0, [])


async def test_a_file_whose_events_were_not_acknowledged_is_processed_again_with_the_same_ids() -> (
    None
):
    folder, memory, publisher = FakeDropFolder(), FakeMseMemory(), FakePublisher()
    folder.files["mse_20260302.csv"] = csv(ROW)
    connector = watcher(folder, memory, publisher)
    publisher.failures_to_come = 1
    with pytest.raises(KafkaDown):
        await connector.step()
    assert memory.files == set()
    await connector.step()
    assert len(publisher.records) == 1
    assert len(memory.files) == 1


async def test_a_look_that_finds_nothing_new_after_files_is_followed_by_a_marker_everywhere() -> (
    None
):
    folder, memory, publisher = FakeDropFolder(), FakeMseMemory(), FakePublisher()
    clock = FixedClock(START)
    connector = watcher(folder, memory, publisher, clock)
    await connector.step()  # the first look of a run: nothing new, a marker all the same
    assert [p for p, _ in markers(publisher)] == [0, 1, 2]
    publisher.sent.clear()
    folder.files["mse_20260302.csv"] = csv(ROW)
    folder.files["mse_20260303.csv"] = csv(OTHER)
    clock.advance(timedelta(seconds=5))
    assert await connector.step()  # files published: look again at once
    assert markers(publisher) == []
    clock.advance(timedelta(seconds=1))
    assert not await connector.step()  # nothing new: the marker, as of this look
    as_of = clock.now()
    found = markers(publisher)
    assert [(p, datetime.fromisoformat(m["as_of"]), m["partitions"]) for p, m in found] == [
        (0, as_of, 3),
        (1, as_of, 3),
        (2, as_of, 3),
    ]
    assert [m.partition for m in publisher.sent][:2] == [None, None]  # the files came first
    sent = len(publisher.sent)
    assert not await connector.step()  # nothing happens: nothing is sent
    assert len(publisher.sent) == sent


async def test_a_marker_that_was_not_acknowledged_is_sent_at_the_next_quiet_look() -> None:
    folder, memory, publisher = FakeDropFolder(), FakeMseMemory(), FakePublisher()
    folder.files["mse_20260302.csv"] = csv(ROW)
    connector = watcher(folder, memory, publisher)
    assert await connector.step()
    publisher.failures_to_come = 1
    with pytest.raises(KafkaDown):
        await connector.step()
    assert markers(publisher) == []
    await connector.step()
    assert len(markers(publisher)) == 3
