"""``GET /v1/records`` as registries.md §1 gives it, and its faults on demand."""

from __future__ import annotations

import json

import pytest
from registry_simulators.bootstrap import build_civil
from registry_simulators.faults import Faults


@pytest.fixture
def civil(dataset, tmp_path, dice):
    def start(**faults):
        return build_civil(dataset.folder, tmp_path / "index", Faults(**faults), dice)

    return start


async def test_paging_from_zero_returns_every_record_of_the_file_in_order(
    civil, client_of, dataset
):
    after, records = 0, []
    async with client_of(civil()) as client:
        while True:
            answer = await client.get("/v1/records", params={"after": after, "limit": 1000})
            assert answer.status_code == 200
            page = answer.json()
            if not page["records"]:
                break
            assert page["last_seq"] == page["records"][-1]["seq"]
            records += page["records"]
            after = page["last_seq"]
    assert records == dataset.civil
    assert page == {"records": [], "last_seq": dataset.civil[-1]["seq"]}


async def test_a_page_holds_the_limit_and_the_default_is_100(civil, client_of):
    async with client_of(civil()) as client:
        assert len((await client.get("/v1/records?after=0&limit=7")).json()["records"]) == 7
        assert len((await client.get("/v1/records")).json()["records"]) == 100


@pytest.mark.parametrize("query", ["limit=1001", "limit=0", "after=-1", "after=x"])
async def test_a_query_outside_the_spec_is_a_bad_request(civil, client_of, query):
    async with client_of(civil()) as client:
        answer = await client.get(f"/v1/records?{query}")
    assert answer.status_code == 400
    assert answer.json()["error"] == "bad_request"


async def test_an_outage_answers_503_until_it_is_switched_off(civil, client_of):
    async with client_of(civil(outage=True)) as client:
        assert (await client.get("/v1/records")).status_code == 503
        assert (await client.get("/_sim/health")).status_code == 200
        assert (await client.post("/_sim/faults", json={"outage": False})).json()["outage"] is False
        assert (await client.get("/v1/records")).status_code == 200


async def test_random_failures_answer_503(civil, client_of):
    async with client_of(civil(server_error_rate=1.0)) as client:
        answer = await client.get("/v1/records")
        stats = (await client.get("/_sim/stats")).json()
    assert answer.status_code == 503
    assert answer.json()["error"] == "unavailable"
    assert stats["unavailable"] == 1


async def test_beyond_the_request_rate_it_answers_429_with_retry_after(civil, client_of, ticker):
    async with client_of(civil(rate_limit=2)) as client:
        statuses = [(await client.get("/v1/records?limit=1")).status_code for _ in range(3)]
        refused = await client.get("/v1/records?limit=1")
        ticker.now += 1.0
        later = await client.get("/v1/records?limit=1")
    assert statuses == [200, 200, 429]
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    assert later.status_code == 200


async def test_a_slow_answer_comes_late_but_complete(civil, client_of):
    async with client_of(civil(timeout_rate=1.0, timeout_seconds=0.01)) as client:
        answer = await client.get("/v1/records?limit=3")
        stats = (await client.get("/_sim/stats")).json()
    assert answer.status_code == 200
    assert len(answer.json()["records"]) == 3
    assert stats["slow"] == 1


async def test_a_redelivery_repeats_the_previous_pages_last_records(civil, client_of):
    async with client_of(civil(redelivery_rate=1.0, redelivery_max=1)) as client:
        first = (await client.get("/v1/records?after=0&limit=5")).json()
        second = (
            await client.get("/v1/records", params={"after": first["last_seq"], "limit": 5})
        ).json()
        stats = (await client.get("/_sim/stats")).json()
    assert second["records"][0] == first["records"][-1]
    assert [r["seq"] for r in second["records"]] == sorted(r["seq"] for r in second["records"])
    assert stats["records_redelivered"] == 1
    assert stats["records_served"] == 9


async def test_faults_change_at_run_time_and_invalid_ones_are_refused(civil, client_of):
    async with client_of(civil()) as client:
        changed = await client.post("/_sim/faults", json={"server_error_rate": 1.0})
        assert changed.json()["server_error_rate"] == 1.0
        assert (await client.get("/v1/records")).status_code == 503
        assert (await client.post("/_sim/faults", json={"server_error_rate": 2})).status_code == 422
        assert (await client.post("/_sim/faults", json={"no_such_fault": 1})).status_code == 422
        assert (await client.get("/_sim/faults")).json()["server_error_rate"] == 1.0


async def test_stats_count_what_was_served_and_can_start_again(civil, client_of, dataset):
    async with client_of(civil()) as client:
        await client.get("/v1/records?after=0&limit=10")
        stats = (await client.get("/_sim/stats")).json()
        await client.delete("/_sim/stats")
        cleared = (await client.get("/_sim/stats")).json()
    assert stats["requests"] == 1
    assert stats["records_served"] == 10
    assert stats["records_last_seq"] == dataset.civil[9]["seq"]
    assert stats["data"] == {"records": len(dataset.civil), "skipped_lines": 0}
    assert cleared == {"data": stats["data"]}


async def test_names_come_as_utf8_json(civil, client_of):
    async with client_of(civil()) as client:
        answer = await client.get("/v1/records?limit=1000")
    assert answer.headers["content-type"] == "application/json"
    assert json.loads(answer.content.decode("utf-8")) == answer.json()
