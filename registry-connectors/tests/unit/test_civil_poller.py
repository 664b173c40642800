"""The civil connector's step over fakes: the cursor moves only after Kafka acknowledged."""

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from benefits_shared.clock import FixedClock
from benefits_shared.pin import PinHasher
from benefits_shared.retry_policies import RetryPolicy
from civil_samples import birth, cancellation, death
from fakes import FakeCivilMemory, FakePublisher, KafkaDown
from registry_connectors.adapters.civil_registry import CivilRegistryClient
from registry_connectors.civil_feed import PagePlanner
from registry_connectors.entrypoints.civil_poller import CivilParts, CivilPoller
from registry_connectors.entrypoints.polling import Poller


class Feed:
    """The feed of registries.md §1 over ``httpx.MockTransport``."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records
        self.asked: list[int] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        after, limit = int(request.url.params["after"]), int(request.url.params["limit"])
        self.asked.append(after)
        page = [r for r in self.records if r["seq"] > after][:limit]
        return httpx.Response(
            200, json={"records": page, "last_seq": page[-1]["seq"] if page else after}
        )


def poller(
    feed: Feed, memory: FakeCivilMemory, publisher: FakePublisher, size: int = 2
) -> CivilPoller:
    client = httpx.AsyncClient(base_url="http://civil", transport=httpx.MockTransport(feed))
    return CivilPoller(
        CivilParts(
            client=CivilRegistryClient(client),
            store=memory,
            planner=PagePlanner(PinHasher("k"), "life-events"),
            publisher=publisher,
            clock=FixedClock(datetime(2026, 3, 3, tzinfo=UTC)),
            page_size=size,
        )
    )


async def test_the_cursor_does_not_move_when_kafka_did_not_acknowledge() -> None:
    memory, publisher = FakeCivilMemory(), FakePublisher()
    connector = poller(Feed([birth(), death()]), memory, publisher)
    publisher.failures_to_come = 1
    await connector.step()
    await connector.finish()
    assert (memory.seq, memory.records, publisher.records) == (0, {}, [])


async def test_the_cursor_moves_once_kafka_acknowledged_the_page() -> None:
    memory, publisher = FakeCivilMemory(), FakePublisher()
    connector = poller(Feed([birth(), death()]), memory, publisher)
    await connector.step()
    await connector.finish()
    assert memory.seq == 1043
    assert set(memory.records) == {"B-2026-0001234", "D-2026-0000077"}


async def test_a_page_kafka_refused_is_read_and_sent_again_from_the_stored_cursor() -> None:
    memory, publisher, feed = FakeCivilMemory(), FakePublisher(), Feed([birth(), death()])
    connector = poller(feed, memory, publisher)
    publisher.failures_to_come = 1
    await connector.step()  # sent; its acks will fail
    with pytest.raises(KafkaDown):
        await connector.step()  # the next page is read, then the failure shows
    await connector.step()
    await connector.step()
    await connector.finish()
    assert feed.asked == [0, 1043, 0, 1043]
    assert len(publisher.records) == 2
    assert memory.seq == 1043


async def test_a_full_page_says_more_is_waiting_and_the_next_step_goes_on_from_it() -> None:
    memory, publisher = FakeCivilMemory(), FakePublisher()
    feed = Feed([birth(), death(), cancellation()])
    connector = poller(feed, memory, publisher)
    assert await connector.step() is True
    assert await connector.step() is False
    await connector.finish()
    assert feed.asked == [0, 1043]
    assert memory.seq == 1044
    assert connector.published == 3


async def test_the_next_page_is_planned_knowing_the_page_still_in_flight() -> None:
    memory, publisher = FakeCivilMemory(), FakePublisher()
    feed = Feed([birth(), death(), birth(seq=1050), cancellation(seq=1051)])
    connector = poller(feed, memory, publisher)
    await connector.step()
    await connector.step()  # planned before the first page is stored
    await connector.finish()
    keys = [m.key for m in publisher.records]
    assert len(keys) == 3  # the re-delivered birth is not sent again
    assert keys[2] == keys[0]  # and the cancellation is keyed like the birth


async def test_a_restarted_connector_goes_on_from_the_stored_cursor() -> None:
    memory, publisher = FakeCivilMemory(), FakePublisher()
    feed = Feed([birth(), death(), birth(seq=1050)])
    first = poller(feed, memory, publisher)
    await first.step()
    await first.finish()
    second = poller(feed, memory, publisher)  # a new process, same memory
    await second.step()
    await second.finish()
    assert feed.asked == [0, 1043]
    assert len(publisher.records) == 2


async def test_a_page_that_moves_the_cursor_is_followed_by_a_marker_on_every_partition() -> None:
    memory, publisher = FakeCivilMemory(), FakePublisher()
    connector = poller(Feed([birth(), death(), cancellation()]), memory, publisher)
    await connector.step()
    await connector.step()
    await connector.step()  # the end of the feed: nothing new, no marker
    await connector.finish()
    sent = publisher.sent
    markers = [(m.partition, json.loads(m.value)) for m in sent if m.partition is not None]
    assert [(p, m["through_seq"], m["partitions"]) for p, m in markers] == [
        (0, 1043, 3),
        (1, 1043, 3),
        (2, 1043, 3),
        (0, 1044, 3),
        (1, 1044, 3),
        (2, 1044, 3),
    ]
    assert publisher.sent[2].partition == 0  # after the first page's two records


class SometimesHtml(Feed):
    """A feed behind a proxy that first answers its maintenance page, with 200."""

    def __init__(self, records: list[dict[str, Any]], html_answers: int) -> None:
        super().__init__(records)
        self.html_answers = html_answers

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.html_answers:
            self.html_answers -= 1
            html = b"<html><body>Down for maintenance</body></html>"
            return httpx.Response(200, content=html, headers={"Content-Type": "text/html"})
        return super().__call__(request)


async def test_an_html_page_with_200_is_waited_out_and_the_same_page_read_after() -> None:
    memory, publisher, feed = FakeCivilMemory(), FakePublisher(), SometimesHtml([birth()], 2)
    connector = poller(feed, memory, publisher)
    loop = Poller("civil", connector.step, 0.001, RetryPolicy(0.001, 0.001, 1.0))

    async def run_until_published() -> None:
        task = asyncio.create_task(loop.run())
        while not publisher.records:
            await asyncio.sleep(0.001)
        loop.stop()
        await task

    await asyncio.wait_for(run_until_published(), 10)
    await connector.finish()
    assert feed.html_answers == 0
    assert feed.asked[0] == 0  # the page asked again after the HTML answers
    assert (len(publisher.records), memory.seq) == (1, 1042)
