"""The population connector against the population-registry simulator: a full copy, resumed
from its checkpoint after a SIGKILL, then the change feed, into the compacted ``persons``
topic, while the registry rate-limits (429 with Retry-After)."""

from pathlib import Path

from connector_rig import HASHER, Rig, by, read_jsonl, wait_until

PAGE = 100


async def test_the_full_copy_then_the_changes_reach_persons_despite_429_and_a_crash(
    rig: Rig, messy_dataset: Path
) -> None:
    snapshot = read_jsonl(messy_dataset / "population.jsonl")
    changes = read_jsonl(messy_dataset / "population_changes.jsonl")
    everyone = {p["pin"] for p in snapshot} | {c["pin"] for c in changes}
    registries = rig.serve(messy_dataset)
    # and every page of the change feed starts with changes it delivered before
    registries.set_faults(registries.population_url, rate_limit=3, redelivery_rate=1.0)
    rig.env |= {"POPULATION_PAGE_SIZE": str(PAGE), "POPULATION_REQUESTS_PER_SECOND": "20"}

    connector = rig.start("population")
    await wait_until(lambda: _copied_at_least(rig, len(everyone) // 3), 60, "a third copied")
    rig.kill(connector)
    connector = rig.start("population")
    last_change = max(c["seq"] for c in changes)
    await wait_until(lambda: _changes_at(rig, last_change), 90, "the change feed read")
    assert rig.terminate(connector) == 0

    stats = registries.stats(registries.population_url)
    assert stats["rate_limited"] > 0, stats
    assert stats["persons_listed"] <= len(everyone) + 2 * PAGE, "the copy started over"
    records = await rig.read(rig.persons)
    assert all(m.key == HASHER.kafka_key(m.data["pin"]) for m in records)
    versions = by(records, lambda m: f"{m.data['pin']}@{m.data['registry_seq']}")
    assert all(len({m.headers["ce_id"] for m in ms}) == 1 for ms in versions.values())
    copied = {m.data["pin"] for m in records if m.data["registry_seq"] == 0}
    assert copied == everyone
    changed = [(m.data["registry_seq"], m.data["pin"]) for m in records if m.data["registry_seq"]]
    assert sorted(changed) == sorted((c["seq"], c["pin"]) for c in changes)  # each sent once
    assert await rig.read(f"{rig.persons}.dlq") == []
    # the end of the change feed marked on every partition, after every record of it
    markers = await rig.markers(rig.persons)
    last = {p: m.data for p, m in markers}
    assert sorted(last) == list(range(len(last))) == list(range(last[0]["partitions"]))
    assert {m["change_seq"] for m in last.values()} == {last_change}


async def _copied_at_least(rig: Rig, count: int) -> bool:
    return await rig.count(rig.persons) >= count


async def _changes_at(rig: Rig, seq: int) -> bool:
    checkpoint = await rig.checkpoint("population-changes")
    return checkpoint is not None and checkpoint["seq"] == seq
