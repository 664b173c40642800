"""Property: whatever the population registry answers — a page that is not JSON, an HTML
page with 200, a page that never ends, persons of any shape — the connector either gets a
page whose every person ends as one ``persons`` record or one dead letter, or a
:class:`RegistryUnavailable` that makes it back off and ask again (ADR 0017)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from benefits_shared.pin import PinHasher
from hostile_strategies import as_json_bytes, damaged, json_values
from hypothesis import example, given, settings
from hypothesis import strategies as st
from registry_connectors.adapters.civil_registry import CivilRegistryClient
from registry_connectors.adapters.population_registry import Pace, PopulationRegistryClient
from registry_connectors.adapters.registry_http import PageLimits
from registry_connectors.errors import RegistryUnavailable
from registry_connectors.population_records import PersonsPlanner, Versioned, change_versions

PLANNER = PersonsPlanner(PinHasher("unit-test-key"), "persons")
NOW = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
LEYLA = {
    "pin": "5XH81PZ",
    "given_name": "Leyla",
    "surname": "Mammadova",
    "patronymic": "Rauf qızı",
    "birth_date": "1994-07-12",
    "sex": "F",
    "phone": "+994501234567",
    "language": "az",
    "date_of_death": None,
    "mother_pin": "1QW2E3R",
    "father_pin": None,
}
KAFKA_MAX_BYTES = 1024 * 1024
persons = st.one_of(json_values, damaged(LEYLA), st.just(LEYLA))
changes = st.one_of(
    json_values,
    st.builds(lambda seq, p: {"seq": seq, "pin": "5XH81PZ", "person": p}, json_values, persons),
)


def population(body: bytes, content_type: str = "application/json") -> PopulationRegistryClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-Type": content_type})

    client = httpx.AsyncClient(base_url="http://pop", transport=httpx.MockTransport(answer))
    return PopulationRegistryClient(client, Pace(1e9), PageLimits(64 * 1024, 5.0))


@settings(max_examples=max(10, settings.default.max_examples // 2))  # pages of changes
@given(st.lists(changes, max_size=5))
def test_every_change_ends_as_one_record_or_one_dead_letter(page: list[Any]) -> None:
    versions = change_versions(page)
    plan = PLANNER.plan(versions, NOW)
    assert plan.published + plan.quarantined == len(page) == len(plan.messages)
    for message in plan.messages:
        assert len(message.value) < KAFKA_MAX_BYTES
        for _, value in message.headers:
            value.decode("utf-8")


@settings(max_examples=max(10, settings.default.max_examples // 2))
@given(st.lists(persons, max_size=5))
def test_every_person_of_the_full_copy_ends_as_one_record_or_one_dead_letter(
    page: list[Any],
) -> None:
    plan = PLANNER.plan([Versioned(p, 0) for p in page], NOW)
    assert plan.published + plan.quarantined == len(page)
    for message in plan.messages:
        if message.topic == "persons":
            assert "\\u0000" not in message.value.decode("utf-8")


@given(st.one_of(st.binary(max_size=300), json_values.map(as_json_bytes)))
@example(b"[" * 100_000)  # deeper than Python's json can go: RecursionError
@example(b"<!doctype html><html><body>Maintenance</body></html>")
@example(json.dumps({"changes": [], "last_seq": 2**64}).encode())  # no bigint holds it
async def test_any_answer_is_a_page_or_the_registry_unavailable(body: bytes) -> None:
    try:
        page = await population(body).changes(0, 10)
    except RegistryUnavailable:
        return
    assert isinstance(page.changes, list)
    assert 0 <= page.last_seq < 2**63


@given(st.lists(persons, max_size=4), json_values)
async def test_a_persons_page_moves_the_cursor_to_a_pin_only(page: list[Any], last: Any) -> None:
    body = as_json_bytes({"persons": page, "last_pin": last})
    try:
        answer = await population(body).persons("", 10)
    except RegistryUnavailable:
        return
    assert answer.last_pin == "" or len(answer.last_pin) == 7  # checkpoints.after_pin


async def test_a_200_html_page_is_a_clear_error_and_never_records() -> None:
    with pytest.raises(RegistryUnavailable, match="answered 200 with an HTML page"):
        await population(b'{"changes": []}', "text/html; charset=utf-8").changes(0, 10)


def endless(chunk: bytes, pause: float = 0.0) -> httpx.Response:
    async def body() -> AsyncIterator[bytes]:
        while True:
            yield chunk
            if pause:
                await asyncio.sleep(pause)

    return httpx.Response(200, content=body(), headers={"Content-Type": "application/json"})


def civil_answering(response: httpx.Response, limits: PageLimits) -> CivilRegistryClient:
    transport = httpx.MockTransport(lambda request: response)
    return CivilRegistryClient(httpx.AsyncClient(base_url="http://c", transport=transport), limits)


async def test_a_page_that_never_ends_is_read_no_further_than_the_limit() -> None:
    client = civil_answering(endless(b'{"records": [' + b"1," * 500), PageLimits(64 * 1024, 30))
    with pytest.raises(RegistryUnavailable, match="more than 65536 bytes"):
        await client.page(0, 10)


async def test_a_page_that_trickles_forever_is_abandoned_at_the_page_deadline() -> None:
    client = civil_answering(endless(b" ", pause=0.01), PageLimits(1024 * 1024, 0.2))
    with pytest.raises(RegistryUnavailable, match=r"did not end within 0\.2 s"):
        await client.page(0, 10)
