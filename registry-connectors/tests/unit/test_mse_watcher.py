"""The MSE connector's step over fakes: each file once, by name and content."""

from datetime import UTC, datetime

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


def watcher(folder: FakeDropFolder, memory: FakeMseMemory, publisher: FakePublisher) -> MseWatcher:
    return MseWatcher(
        MseParts(
            folder=folder,
            store=memory,
            planner=FilePlanner(PinHasher("k"), "life-events"),
            publisher=publisher,
            clock=FixedClock(datetime(2026, 3, 3, tzinfo=UTC)),
        )
    )


async def test_a_file_is_processed_once_even_by_a_restarted_connector() -> None:
    folder, memory, publisher = FakeDropFolder(), FakeMseMemory(), FakePublisher()
    folder.files["mse_20260302.csv"] = csv(ROW)
    await watcher(folder, memory, publisher).step()
    await watcher(folder, memory, publisher).step()
    assert len(publisher.sent) == 1


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
    assert len(publisher.sent) == 1


async def test_a_corrected_file_sends_only_its_new_rows() -> None:
    folder, memory, publisher = FakeDropFolder(), FakeMseMemory(), FakePublisher()
    folder.files["mse_20260302.csv"] = csv(ROW, "bad;row")
    connector = watcher(folder, memory, publisher)
    await connector.step()
    folder.files["mse_20260302_2.csv"] = csv(ROW, OTHER)
    await connector.step()
    events = [m for m in publisher.sent if m.topic == "life-events"]
    assert len(events) == 2
    assert len(publisher.sent) == 3  # and the bad row of the first file in quarantine


async def test_files_not_named_by_the_commission_are_left_alone() -> None:
    folder, memory, publisher = FakeDropFolder(), FakeMseMemory(), FakePublisher()
    folder.files["mse_20260302.csv.tmp"] = b"half a fi"
    await watcher(folder, memory, publisher).step()
    assert (folder.reads, publisher.sent) == (0, [])


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
    assert len(publisher.sent) == 1
    assert len(memory.files) == 1
