"""The population connector's steps over fakes: the full copy by PIN, then the changes."""

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from benefits_shared.clock import FixedClock
from benefits_shared.pin import PinHasher
from fakes import FakeCheckpoints, FakePublisher, FakeRecordCount, KafkaDown
from registry_connectors.adapters.checkpoints import Checkpoint
from registry_connectors.adapters.population_registry import Pace, PopulationRegistryClient
from registry_connectors.entrypoints.population_mirror import (
    CHANGES,
    FULL_COPY,
    PopulationMirror,
    PopulationParts,
)
from registry_connectors.population_records import PersonsPlanner


def person(pin: str, **changes: Any) -> dict[str, Any]:
    return {
        "pin": pin,
        "given_name": "Leyla",
        "surname": "Mammadova",
        "patronymic": None,
        "birth_date": "1994-07-12",
        "sex": "F",
        "phone": None,
        "language": "az",
        "date_of_death": None,
        "mother_pin": None,
        "father_pin": None,
    } | changes


PEOPLE = [person("1AAAAAA"), person("2BBBBBB"), person("3CCCCCC")]
CHANGED = [{"seq": 4, "pin": "2BBBBBB", "person": person("2BBBBBB", phone="+994501234567")}]


class Registry:
    def __init__(self, redeliver: int = 0) -> None:
        self.asked: list[str] = []
        self.redeliver = redeliver  # changes already delivered, sent again first
        self.changed = list(CHANGED)  # the change feed, moved by the test

    def __call__(self, request: httpx.Request) -> httpx.Response:
        after, limit = request.url.params["after"], int(request.url.params["limit"])
        self.asked.append(f"{request.url.path}?after={after}")
        if request.url.path == "/v1/persons":
            page = [p for p in PEOPLE if p["pin"] > after][:limit]
            last_pin = page[-1]["pin"] if page else after
            return httpx.Response(200, json={"persons": page, "last_pin": last_pin})
        earlier = [c for c in self.changed if c["seq"] <= int(after)]
        again = earlier[len(earlier) - self.redeliver :] if self.redeliver else []
        changes = again + [c for c in self.changed if c["seq"] > int(after)][:limit]
        last_seq = changes[-1]["seq"] if changes else int(after)
        return httpx.Response(200, json={"changes": changes, "last_seq": last_seq})


def mirror(
    registry: Registry,
    checkpoints: FakeCheckpoints,
    publisher: FakePublisher,
    page_size: int = 2,
    life_events: FakeRecordCount | None = None,
) -> PopulationMirror:
    client = httpx.AsyncClient(base_url="http://pop", transport=httpx.MockTransport(registry))
    return PopulationMirror(
        PopulationParts(
            client=PopulationRegistryClient(client, Pace(1000.0)),
            checkpoints=checkpoints,
            planner=PersonsPlanner(PinHasher("k"), "persons"),
            publisher=publisher,
            clock=FixedClock(datetime(2026, 3, 3, tzinfo=UTC)),
            page_size=page_size,
            life_events=life_events or FakeRecordCount(),
        )
    )


async def test_the_full_copy_pages_by_pin_then_the_changes_are_read_from_the_start() -> None:
    registry, checkpoints, publisher = Registry(), FakeCheckpoints(), FakePublisher()
    connector = mirror(registry, checkpoints, publisher)
    for _ in range(4):
        await connector.step()
    assert registry.asked == [
        "/v1/persons?after=",
        "/v1/persons?after=2BBBBBB",
        "/v1/persons?after=3CCCCCC",
        "/v1/changes?after=0",
    ]
    records = [json.loads(m.value) for m in publisher.records]
    versions = [(r["pin"], r["registry_seq"]) for r in records]
    assert versions == [("1AAAAAA", 0), ("2BBBBBB", 0), ("3CCCCCC", 0), ("2BBBBBB", 4)]
    assert checkpoints.saved[FULL_COPY] == Checkpoint(after_pin="3CCCCCC", done=True)
    assert checkpoints.saved[CHANGES] == Checkpoint(seq=4)


async def test_a_page_kafka_did_not_acknowledge_leaves_the_checkpoint_where_it_was() -> None:
    registry, checkpoints, publisher = Registry(), FakeCheckpoints(), FakePublisher()
    connector = mirror(registry, checkpoints, publisher)
    await connector.step()
    publisher.failures_to_come = 1
    with pytest.raises(KafkaDown):
        await connector.step()
    assert checkpoints.saved[FULL_COPY] == Checkpoint(after_pin="2BBBBBB")
    await connector.step()
    assert registry.asked[-2:] == ["/v1/persons?after=2BBBBBB"] * 2


async def test_changes_the_feed_delivers_again_are_not_sent_again() -> None:
    registry, checkpoints, publisher = Registry(redeliver=1), FakeCheckpoints(), FakePublisher()
    checkpoints.saved[FULL_COPY] = Checkpoint(done=True)
    connector = mirror(registry, checkpoints, publisher)
    await connector.step()
    await connector.step()  # the feed starts with seq 4 again
    assert [json.loads(m.value)["registry_seq"] for m in publisher.records] == [4]
    assert checkpoints.saved[CHANGES] == Checkpoint(seq=4)


def markers(publisher: FakePublisher) -> list[tuple[int | None, dict[str, Any]]]:
    return [(m.partition, json.loads(m.value)) for m in publisher.sent if m.partition is not None]


async def test_no_progress_is_claimed_until_the_full_copy_is_done_and_the_changes_read() -> None:
    registry, checkpoints, publisher = Registry(), FakeCheckpoints(), FakePublisher()
    connector = mirror(registry, checkpoints, publisher)
    for _ in range(3):  # the three pages of the full copy
        await connector.step()
    assert markers(publisher) == []


async def test_the_end_of_the_change_feed_is_marked_on_every_partition_after_the_records() -> None:
    registry, checkpoints, publisher = Registry(), FakeCheckpoints(), FakePublisher()
    connector = mirror(registry, checkpoints, publisher)
    for _ in range(4):
        await connector.step()
    found = markers(publisher)
    assert [p for p, _ in found] == [0, 1, 2]
    assert {(m["partitions"], m["change_seq"], m["as_of"]) for _, m in found} == {
        (3, 4, "2026-03-03T04:00:00+04:00")
    }
    assert publisher.sent[-3:] == [m for m in publisher.sent if m.partition is not None]
    assert {m.key for m in publisher.sent[-3:]} == {
        b"population-copy-progress:0",
        b"population-copy-progress:1",
        b"population-copy-progress:2",
    }


async def test_a_full_page_of_changes_is_not_the_end_of_the_feed() -> None:
    registry, checkpoints, publisher = Registry(), FakeCheckpoints(), FakePublisher()
    checkpoints.saved[FULL_COPY] = Checkpoint(done=True)
    connector = mirror(registry, checkpoints, publisher, page_size=1)
    assert await connector.step() is True
    assert markers(publisher) == []
    assert await connector.step() is False
    assert len(markers(publisher)) == 3


async def test_no_new_marker_while_no_life_event_has_arrived_since_the_last() -> None:
    registry, checkpoints, publisher = Registry(), FakeCheckpoints(), FakePublisher()
    checkpoints.saved[FULL_COPY] = Checkpoint(done=True)
    life_events = FakeRecordCount(5)
    connector = mirror(registry, checkpoints, publisher, life_events=life_events)
    await connector.step()  # caught up: the first marker
    await connector.step()
    await connector.step()  # caught up again, nothing new on life-events: none
    assert len(markers(publisher)) == 3
    life_events.n = 6
    await connector.step()
    assert len(markers(publisher)) == 6


async def test_persons_sent_are_followed_by_a_marker_even_with_no_new_life_event() -> None:
    """On the compacted ``persons`` a person keeps only its latest record: were it after
    every marker of its partition, a replay from offset 0 could read the marker first."""
    registry, checkpoints, publisher = Registry(), FakeCheckpoints(), FakePublisher()
    checkpoints.saved[FULL_COPY] = Checkpoint(done=True)
    connector = mirror(registry, checkpoints, publisher, life_events=FakeRecordCount(5))
    await connector.step()  # caught up: the first marker
    registry.changed.append({"seq": 5, "pin": "3CCCCCC", "person": person("3CCCCCC")})
    await connector.step()  # the change is sent; life-events has nothing new
    assert [json.loads(m.value)["registry_seq"] for m in publisher.records] == [4, 5]
    last_person = max(i for i, m in enumerate(publisher.sent) if m.partition is None)
    after = [m for m in publisher.sent[last_person:] if m.partition is not None]
    assert [m.partition for m in after] == [0, 1, 2]
    assert {json.loads(m.value)["change_seq"] for m in after} == {5}


async def test_a_quarantined_change_alone_is_no_reason_for_a_marker() -> None:
    registry, checkpoints, publisher = Registry(), FakeCheckpoints(), FakePublisher()
    checkpoints.saved[FULL_COPY] = Checkpoint(done=True)
    connector = mirror(registry, checkpoints, publisher, life_events=FakeRecordCount(5))
    await connector.step()
    registry.changed.append({"seq": 5, "pin": "3CCCCCC", "person": person("3CCCCCC", sex="X")})
    await connector.step()  # the damaged change goes to persons.dlq, not to persons
    assert publisher.sent[-1].topic == "persons.dlq"
    assert len(markers(publisher)) == 3
