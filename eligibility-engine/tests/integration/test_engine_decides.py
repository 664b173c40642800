"""The engine as a process on real Kafka and PostgreSQL: what it decides, and that
replays, kills and reordering change nothing."""

from __future__ import annotations

from decimal import Decimal

from benefits_shared.testing import terminate
from engine_rig import EngineRig
from engine_scenario import FATHER, KIDS, MOTHER, family


def _last_by_case(decisions: list[dict]) -> dict[str, dict]:  # type: ignore[type-arg]
    superseded = {d["supersedes"] for d in decisions if d["supersedes"]}
    return {d["case_id"]: d for d in decisions if d["decision_id"] not in superseded}


async def test_a_family_gets_the_grants_policy_md_gives_it(rig: EngineRig) -> None:
    await rig.publish(family())
    engine = rig.start()
    await rig.wait_idle()
    assert terminate(engine) == 0
    last = _last_by_case(await rig.decisions_on_topic())
    by_child = {
        d["facts"].get("birth", {}).get("child_pin"): d
        for d in last.values()
        if d["benefit"] == "B1"
    }
    assert by_child[KIDS[4]]["outcome"] == "rejected"  # born 2022-12-30
    assert Decimal(by_child[KIDS[0]]["amount"]) == Decimal("200.00")  # 1st, 2024 rates
    assert Decimal(by_child[KIDS[1]]["amount"]) == Decimal("350.00")  # 3rd by birth date
    assert Decimal(by_child[KIDS[2]]["amount"]) == Decimal("350.00")  # twin, 4th
    assert {d["recipient"]["pin"] for d in by_child.values() if d["recipient"]} == {MOTHER}
    funeral = next(d for d in last.values() if d["benefit"] == "B3")
    assert Decimal(funeral["amount"]) == Decimal("350.00")
    allowance = next(d for d in last.values() if d["benefit"] == "B2")
    assert allowance["outcome"] == "assigned"
    assert allowance["entitlement"]["end"] == "2027-03-09"
    assert FATHER not in {d["recipient"]["pin"] for d in last.values() if d["recipient"]}
