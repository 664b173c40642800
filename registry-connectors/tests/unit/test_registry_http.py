"""The registries over HTTP (faked by ``httpx.MockTransport``): answers, classified failures."""

from collections.abc import Callable

import httpx
import pytest
from registry_connectors.adapters.civil_registry import CivilRegistryClient
from registry_connectors.adapters.population_registry import Pace, PopulationRegistryClient
from registry_connectors.errors import RateLimited, RegistryRefused, RegistryUnavailable

Handler = Callable[[httpx.Request], httpx.Response]


def civil(handler: Handler) -> CivilRegistryClient:
    transport = httpx.MockTransport(handler)
    return CivilRegistryClient(httpx.AsyncClient(base_url="http://civil", transport=transport))


def population(handler: Handler) -> PopulationRegistryClient:
    client = httpx.AsyncClient(base_url="http://pop", transport=httpx.MockTransport(handler))
    return PopulationRegistryClient(client, Pace(1000.0))


async def test_a_page_is_asked_from_the_cursor_and_read() -> None:
    asked: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url)
        return httpx.Response(200, json={"records": [{"seq": 8}], "last_seq": 8})

    page = await civil(handler).page(7, 1000)
    assert (page.records, page.last_seq) == ([{"seq": 8}], 8)
    assert (asked[0].path, dict(asked[0].params)) == (
        "/v1/records",
        {"after": "7", "limit": "1000"},
    )


async def test_503_is_the_registry_unavailable() -> None:
    with pytest.raises(RegistryUnavailable) as caught:
        await civil(lambda r: httpx.Response(503)).page(0, 10)
    assert caught.value.retry_after is None


async def test_429_is_rate_limited_with_its_retry_after() -> None:
    handler: Handler = lambda r: httpx.Response(429, headers={"Retry-After": "2"})  # noqa: E731
    with pytest.raises(RateLimited) as caught:
        await civil(handler).page(0, 10)
    assert caught.value.retry_after == 2.0


async def test_a_time_out_is_the_registry_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(RegistryUnavailable, match="timed out"):
        await civil(handler).page(0, 10)


async def test_a_refused_connection_is_the_registry_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(RegistryUnavailable):
        await civil(handler).page(0, 10)


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, content=b"<html>maintenance</html>"),
        httpx.Response(200, json={"last_seq": 3}),
        httpx.Response(200, json={"records": [], "last_seq": "3"}),
        httpx.Response(200, json=[1, 2]),
    ],
)
async def test_a_page_that_is_not_the_documented_json_is_retried_later(
    response: httpx.Response,
) -> None:
    with pytest.raises(RegistryUnavailable):
        await civil(lambda r: response).page(0, 10)


@pytest.mark.parametrize("status", [400, 401, 404])
async def test_another_client_error_is_a_refusal_not_retried(status: int) -> None:
    with pytest.raises(RegistryRefused):
        await civil(lambda r: httpx.Response(status)).page(0, 10)


async def test_the_person_listing_starts_empty_and_goes_on_after_the_last_pin() -> None:
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.params["after"])
        return httpx.Response(200, json={"persons": [{"pin": "5XH81PZ"}], "last_pin": "5XH81PZ"})

    page = await population(handler).persons("", 1)
    assert (asked, page.last_pin) == ([""], "5XH81PZ")


async def test_without_last_pin_the_listing_goes_on_after_the_highest_pin_seen() -> None:
    handler: Handler = lambda r: httpx.Response(  # noqa: E731
        200, json={"persons": [{"pin": "1AAAAAA"}, {"pin": "2BBBBBB"}]}
    )
    assert (await population(handler).persons("", 2)).last_pin == "2BBBBBB"


async def test_the_change_feed_is_read_from_its_seq() -> None:
    handler: Handler = lambda r: httpx.Response(  # noqa: E731
        200, json={"changes": [{"seq": 9}], "last_seq": int(r.url.params["after"]) + 9}
    )
    page = await population(handler).changes(0, 10)
    assert (page.changes, page.last_seq) == ([{"seq": 9}], 9)


async def test_the_population_registry_rate_limit_is_classified() -> None:
    handler: Handler = lambda r: httpx.Response(429, headers={"Retry-After": "1"})  # noqa: E731
    with pytest.raises(RateLimited):
        await population(handler).changes(0, 10)
