"""A generated population through the engine process on real Kafka and PostgreSQL,
checked case by case against an independent reading of docs/policy.md; then the same under
replay, SIGKILL and shuffled order."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

from benefits_shared.testing import kill, terminate
from engine_population import check, expected, generate
from engine_rig import EngineRig, final_decisions

FAMILIES = 150


async def _decisions_count(rig: EngineRig) -> int:
    return int(await rig.scalar("SELECT count(*) FROM {s}.decisions"))


async def test_every_case_gets_what_an_independent_reading_of_policy_gives(rig: EngineRig) -> None:
    world = generate(seed=7, families=FAMILIES)
    await rig.publish(world.feed)
    engine = rig.start()
    await rig.wait_idle()
    assert check(expected(world), await final_decisions(rig)) == []

    decided = await _decisions_count(rig)
    on_topic = await rig.decisions_on_topic()
    assert len(on_topic) == decided == len({d["ce_id"] for d in on_topic})

    # A replay of every topic from offset 0, in a group of its own, decides nothing new.
    assert terminate(engine) == 0
    rig.group = f"{rig.group}-replay"
    replay = rig.start()
    await rig.wait_idle()
    assert terminate(replay) == 0
    assert await _decisions_count(rig) == decided
    assert len(await rig.decisions_on_topic()) == decided


async def test_an_engine_killed_mid_batch_loses_and_duplicates_nothing(rig: EngineRig) -> None:
    world = generate(seed=11, families=FAMILIES)
    await rig.publish(world.feed)
    total = len(world.feed)
    for share in (0.25, 0.5, 0.75):
        engine = rig.start()
        while await rig.scalar("SELECT count(*) FROM {s}.inbox") < total * share:
            await asyncio.sleep(0.05)
        kill(engine)
    engine = rig.start()
    await rig.wait_idle()
    assert terminate(engine) == 0
    assert check(expected(world), await final_decisions(rig)) == []
    on_topic = await rig.decisions_on_topic()
    assert [i for i, n in Counter(d["ce_id"] for d in on_topic).items() if n > 1] == []
    assert len(on_topic) == await _decisions_count(rig)


async def test_shuffled_order_reaches_the_same_final_decisions(rig: EngineRig) -> None:
    world = generate(seed=13, families=FAMILIES)
    shuffled = list(world.feed)
    random.Random(5).shuffle(shuffled)
    await rig.publish(shuffled)
    engine = rig.start()
    await rig.wait_idle()
    assert terminate(engine) == 0
    assert check(expected(world), await final_decisions(rig)) == []
