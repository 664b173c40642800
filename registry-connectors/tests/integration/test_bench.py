"""The benchmark runs end to end on a small feed and answers both rates."""

from registry_connectors.bench import measure


async def test_the_bench_measures_the_connector_beside_the_raw_producer(
    kafka_bootstrap: str, database_url: str
) -> None:
    result = await measure(1500, kafka_bootstrap, database_url, page_size=500)
    assert (result["connector_events"], result["raw_producer_events"]) == (1500, 1500)
    assert result["connector_records_per_s"] > 0
    assert result["raw_producer_records_per_s"] > 0
