"""Replays and shadow runs by command (ADR 12), on real Kafka and PostgreSQL, the engine
run as its own process: a dry run reports, an applied replay publishes only what differs,
once, and a shadow run publishes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest_asyncio
from benefits_shared.contracts.ops import ReplayCases, ReplaySelection, RunShadow
from benefits_shared.contracts.payments import PaymentSettled
from benefits_shared.kafka.admin import ensure_topics
from benefits_shared.testing import terminate
from benefits_shared.topics import Topic
from eligibility_engine.decision_ids import disability_case
from engine_ops_rig import OpsRig, new_id, parameters_with
from engine_rig import HASHER, EngineRig
from engine_scenario import FATHER, KIDS, certificate, family, tick

EVERYTHING = ReplaySelection(kind="everything")
LIFE_EVENTS = ReplaySelection(kind="topic_time", topic="life-events")
RAISED_B1 = ("birth_grant.yaml", "value: 250.00", "value: 300.00")  # born from 2025


@pytest_asyncio.fixture
async def ops(rig: EngineRig, kafka_bootstrap: str, unique: str) -> AsyncIterator[OpsRig]:
    commands, replies = f"ops-commands-{unique}", f"ops-replies-{unique}"
    await ensure_topics(
        kafka_bootstrap, [Topic(commands, 3), Topic(f"{commands}.dlq", 3), Topic(replies, 3)]
    )
    yield OpsRig(rig, commands, replies)


async def _decided(ops: OpsRig) -> OpsRig:
    await ops.rig.publish([*family(), tick(date(2026, 4, 1))])
    ops.start()
    await ops.rig.wait_idle()
    return ops


async def _run(ops: OpsRig, command: ReplayCases | RunShadow) -> dict:  # type: ignore[type-arg]
    await ops.send(command)
    replies = await ops.outcome(command.command_id)
    last = replies[-1]
    last["all_differences"] = [d for r in replies for d in r["differences"]]
    assert [r["seq"] for r in replies] == list(range(len(replies)))
    assert last["state"] == "completed", last
    return last


def _offsets(partition: int) -> ReplaySelection:
    return ReplaySelection(
        kind="topic_offsets", topic="life-events", partition=partition, offset_from=0
    )


async def _decisions(ops: OpsRig) -> list[dict]:  # type: ignore[type-arg]
    """The decisions on the topic, in a stable order."""
    return sorted(await ops.rig.decisions_on_topic(), key=lambda d: str(d["ce_id"]))


def _replay(mode: str = "dry_run", selection: ReplaySelection = EVERYTHING) -> ReplayCases:
    return ReplayCases(
        command_id=new_id(),
        requested_by="test",
        reason="test",
        selection=selection,
        mode=mode,  # type: ignore[arg-type]
    )


async def test_a_dry_run_over_unchanged_history_reports_no_change(ops: OpsRig) -> None:
    await _decided(ops)
    before = len(await ops.rig.decisions_on_topic())

    for selection in (EVERYTHING, LIFE_EVENTS, ReplaySelection(kind="person", pin=KIDS[0])):
        done = await _run(ops, _replay(selection=selection))
        assert done["cases_total"] > 0
        assert (done["changed_so_far"], done["all_differences"]) == (0, [])
        assert Decimal(done["delta_so_far"]) == Decimal("0")
    by_partition = [
        await _run(ops, _replay(selection=_offsets(partition))) for partition in range(3)
    ]
    assert sum(done["cases_total"] for done in by_partition) > 0
    assert [done["changed_so_far"] for done in by_partition] == [0, 0, 0]

    assert len(await ops.rig.decisions_on_topic()) == before


async def test_a_dry_run_finds_an_allowance_over_when_first_decided_already_ended(
    ops: OpsRig,
) -> None:
    over = certificate("MSE-25-000007", FATHER, "III", date(2025, 1, 10), date(2026, 1, 10))
    await ops.rig.publish([tick(date(2026, 4, 1)), *family(), over])
    ops.start()
    await ops.rig.wait_idle()
    outcomes = [d["outcome"] for d in await ops.rig.decisions_on_topic() if d["benefit"] == "B2"]
    assert sorted(outcomes) == ["assigned", "assigned", "ended"]

    done = await _run(ops, _replay(selection=ReplaySelection(kind="person", pin=FATHER)))
    assert done["cases_total"] > 0
    assert (done["changed_so_far"], done["all_differences"]) == (0, [])


async def test_a_payment_that_settles_after_an_allowance_ended_changes_no_decision(
    ops: OpsRig,
) -> None:
    """The payroll paid January before the end reached the bank gateway: what is undue is
    the gateway's recovery case, and the ended decision stands as the engine made it."""
    over = certificate("MSE-25-000007", FATHER, "III", date(2025, 1, 10), date(2026, 1, 10))
    await ops.rig.publish([tick(date(2026, 4, 1)), *family(), over])
    ops.start()
    await ops.rig.wait_idle()
    ended = [d for d in await ops.rig.decisions_on_topic() if d["outcome"] == "ended"]
    paid = PaymentSettled(
        payment_id="P-2026-01",
        decision_id=str(ended[0]["decision_id"]),
        case_id=disability_case("MSE-25-000007"),
        recipient_pin=FATHER,
        amount=Decimal("165.00"),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),  # 22 days after the last day due
    )
    before = len(await ops.rig.decisions_on_topic())
    await ops.rig.publish([(paid, FATHER)])
    await ops.rig.wait_idle()

    done = await _run(ops, _replay(selection=ReplaySelection(kind="person", pin=FATHER)))
    assert done["cases_total"] > 0
    assert (done["changed_so_far"], done["all_differences"]) == (0, [])
    assert len(await ops.rig.decisions_on_topic()) == before


async def test_after_a_parameter_change_apply_publishes_exactly_the_differences_once(
    ops: OpsRig, tmp_path: Path
) -> None:
    await _decided(ops)
    assert terminate(ops.rig.processes[-1]) == 0  # a rule fix is deployed: a restart
    ops.parameters_dir = parameters_with(tmp_path / "parameters", *RAISED_B1)
    ops.start()
    before = await _decisions(ops)
    twins = {f"B1:{HASHER.digest(k)}" for k in KIDS[1:3]}  # born 2025-08-01: 350 → 400

    dry = await _run(ops, _replay("dry_run"))
    assert {d["case_id"] for d in dry["all_differences"]} == twins
    for d in dry["all_differences"]:
        assert (Decimal(d["old"]["amount"]), Decimal(d["new"]["amount"])) == (
            Decimal(350),
            Decimal(400),
        )
        assert d["old"]["reason"] and d["new"]["reason"]
    assert Decimal(dry["delta_so_far"]) == Decimal("100.00")
    assert await _decisions(ops) == before

    applied = await _run(ops, _replay("apply"))
    assert applied["published"] == 2
    await ops.rig.wait_idle()
    after = await _decisions(ops)
    new = [d for d in after if d not in before]
    assert {d["decision_id"] for d in new} == {
        d["new"]["decision_id"] for d in dry["all_differences"]
    }
    assert {Decimal(d["amount"]) for d in new} == {Decimal(400)}

    again = await _run(ops, _replay("apply", LIFE_EVENTS))
    assert (again["published"], again["changed_so_far"]) == (0, 0)
    await ops.rig.wait_idle()
    assert len(await ops.rig.decisions_on_topic()) == len(after)


async def test_a_shadow_run_of_a_raised_b1_amount_reports_the_cost_and_publishes_nothing(
    ops: OpsRig, tmp_path: Path
) -> None:
    await _decided(ops)
    before = await _decisions(ops)
    stored = await ops.rig.scalar("SELECT count(*) FROM {s}.decisions")
    raised = parameters_with(tmp_path / "raised", *RAISED_B1) / "birth_grant.yaml"
    shadow = RunShadow(
        command_id=new_id(),
        requested_by="test",
        selection=EVERYTHING,
        parameter_files={"birth_grant.yaml": raised.read_text(encoding="utf-8")},
    )

    done = await _run(ops, shadow)

    assert done["mode"] == "shadow"
    assert len(done["all_differences"]) == 2
    assert Decimal(done["delta_so_far"]) == Decimal("100.00")
    assert all(Decimal(d["delta"]) == Decimal("50.00") for d in done["all_differences"])
    assert done["published"] == 0
    assert await ops.rig.scalar("SELECT count(*) FROM {s}.decisions") == stored
    assert await ops.rig.scalar(
        "SELECT count(*) FROM {s}.outbox WHERE topic NOT LIKE 'ops-%'"
    ) == len(before)
    assert await _decisions(ops) == before


async def test_a_shadow_run_with_a_broken_file_fails_with_its_reason(ops: OpsRig) -> None:
    await _decided(ops)
    shadow = RunShadow(
        command_id=new_id(),
        requested_by="test",
        selection=EVERYTHING,
        parameter_files={"birth_grant.yaml": "base_amount: [unclosed"},
    )
    await ops.send(shadow)
    last = (await ops.outcome(shadow.command_id))[-1]
    assert last["state"] == "failed"
    assert last["error"]
