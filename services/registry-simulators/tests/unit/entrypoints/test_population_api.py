"""The population registry's API as registries.md §3 gives it, and its faults on demand."""

from __future__ import annotations

import pytest
from registry_simulators.bootstrap import build_population
from registry_simulators.faults import Faults


@pytest.fixture
def population(dataset, tmp_path, dice):
    def start(**faults):
        return build_population(dataset.folder, tmp_path / "index", Faults(**faults), dice)

    return start


def _latest(dataset):
    latest = {p["pin"]: p for p in dataset.persons}
    for change in dataset.changes:
        latest[change["pin"]] = change["person"]
    return latest


async def test_a_person_is_served_by_pin_or_not_found(population, client_of, dataset):
    person = dataset.persons[0]
    async with client_of(population()) as client:
        found = await client.get(f"/v1/persons/{person['pin']}")
        missing = await client.get("/v1/persons/AAAAAAA")
    assert found.status_code == 200
    assert found.json() == _latest(dataset)[person["pin"]]
    assert missing.status_code == 404


async def test_a_person_who_died_is_served_with_the_date_of_death(population, client_of, dataset):
    died = next(c for c in dataset.changes if c["person"]["date_of_death"])
    async with client_of(population()) as client:
        person = (await client.get(f"/v1/persons/{died['pin']}")).json()
    assert person["date_of_death"] == died["person"]["date_of_death"]


async def test_a_batch_answers_persons_and_missing_in_the_order_asked(
    population, client_of, dataset
):
    pins = [dataset.persons[3]["pin"], "AAAAAAA", dataset.persons[1]["pin"], "AAAAAAA"]
    async with client_of(population()) as client:
        answer = await client.post("/v1/persons:batchGet", json={"pins": pins})
    assert answer.status_code == 200
    latest = _latest(dataset)
    assert answer.json() == {"persons": [latest[pins[0]], latest[pins[2]]], "missing": ["AAAAAAA"]}


@pytest.mark.parametrize("body", [{"pins": ["AAAAAAA"] * 1001}, {"pin": []}, {"pins": "AAAAAAA"}])
async def test_a_batch_outside_the_spec_is_a_bad_request(population, client_of, body):
    async with client_of(population()) as client:
        answer = await client.post("/v1/persons:batchGet", json=body)
    assert answer.status_code == 400


async def test_the_listing_gives_every_person_once_in_ascending_pin(population, client_of, dataset):
    after, pins = "", []
    async with client_of(population()) as client:
        while page := (
            await client.get("/v1/persons", params={"after": after, "limit": 1000})
        ).json():
            if not page["persons"]:
                break
            pins += [p["pin"] for p in page["persons"]]
            after = page["last_pin"]
    assert pins == sorted(_latest(dataset))


async def test_the_change_feed_pages_by_seq(population, client_of, dataset):
    async with client_of(population()) as client:
        first = (await client.get("/v1/changes?after=0&limit=3")).json()
        rest = (
            await client.get("/v1/changes", params={"after": first["last_seq"], "limit": 1000})
        ).json()
    assert first["changes"] == dataset.changes[:3]
    assert first["last_seq"] == 3
    assert rest["changes"] == dataset.changes[3:1003]


async def test_it_rate_limits_every_endpoint_with_retry_after(
    population, client_of, dataset, ticker
):
    pin = dataset.persons[0]["pin"]
    async with client_of(population(rate_limit=1)) as client:
        assert (await client.get(f"/v1/persons/{pin}")).status_code == 200
        answers = [
            await client.get(f"/v1/persons/{pin}"),
            await client.post("/v1/persons:batchGet", json={"pins": [pin]}),
            await client.get("/v1/persons"),
            await client.get("/v1/changes"),
        ]
        ticker.now += 1
        assert (await client.get("/v1/changes")).status_code == 200
    assert [a.status_code for a in answers] == [429] * 4
    assert all(a.headers["Retry-After"] == "1" for a in answers)


async def test_an_outage_stops_every_endpoint(population, client_of, dataset):
    async with client_of(population(outage=True)) as client:
        answers = [
            await client.get(f"/v1/persons/{dataset.persons[0]['pin']}"),
            await client.get("/v1/changes"),
        ]
    assert [a.status_code for a in answers] == [503, 503]
