"""Delivery reports: at least once, and late, twice, out of order or never on demand."""

from __future__ import annotations

from typing import Any

from simulator_kit.faults import RandomChance
from sms_simulator.config import SimulatorSettings
from sms_simulator.delivery_reports import plan_report
from sms_simulator.faults import Faults

ALWAYS = 1.0


def test_a_working_gateway_plans_one_prompt_delivered_report() -> None:
    plan = plan_report(Faults(report_delay_seconds=0.5), RandomChance(1))
    assert (plan.status, plan.error, plan.copies, plan.delay_seconds, plan.held) == (
        "DELIVERED",
        None,
        1,
        0.5,
        False,
    )


def test_a_failed_message_is_reported_with_its_error() -> None:
    plan = plan_report(Faults(failed_rate=ALWAYS), RandomChance(1))
    assert (plan.status, plan.error) == ("FAILED", "subscriber absent")


def test_an_expired_message_is_reported_with_its_error() -> None:
    plan = plan_report(Faults(expired_rate=ALWAYS), RandomChance(1))
    assert (plan.status, plan.error) == ("EXPIRED", "validity period expired")


def test_a_lost_report_is_never_sent() -> None:
    assert plan_report(Faults(lost_report_rate=ALWAYS), RandomChance(1)).copies == 0


def test_a_late_report_waits_the_late_delay() -> None:
    faults = Faults(late_report_rate=ALWAYS, late_report_seconds=120)
    assert plan_report(faults, RandomChance(1)).delay_seconds == 120


def test_the_rates_are_drawn_per_report() -> None:
    # 400 plans at a 50 % duplicate rate: both kinds occur (a fixed seed keeps it stable).
    chance = RandomChance(3)
    copies = {plan_report(Faults(duplicate_report_rate=0.5), chance).copies for _ in range(400)}
    assert copies == {1, 2}


async def test_every_accepted_message_gets_one_report(sim: Any) -> None:
    first = (await sim.send("k1")).json()["message_id"]
    second = (await sim.send("k2")).json()["message_id"]
    reports = await sim.callbacks.wait_for(2)
    assert sorted(r["message_id"] for r in reports) == sorted([first, second])
    assert {(r["status"], r["error"]) for r in reports} == {("DELIVERED", None)}
    assert reports[0]["at"] == "2026-03-02T10:00:00+04:00"
    assert (await sim.client.get("/_sim/reports")).json() == reports


async def test_reports_are_signed_with_the_configured_secret(start_sim: Any) -> None:
    """The callbacks take only signed reports: one with another secret is never taken."""
    secret = "a-secret-shared-with-the-notifier-0123456789"
    sim = await start_sim(SimulatorSettings(sms_report_secret=secret))
    sim.callbacks.secret = secret
    message = (await sim.send("k1")).json()["message_id"]
    assert [r["message_id"] for r in await sim.callbacks.wait_for(1)] == [message]


async def test_a_replayed_key_does_not_report_again(sim: Any) -> None:
    await sim.send("k1")
    await sim.send("k1")
    await sim.send("k2")
    reports = await sim.callbacks.wait_for(2)
    assert len({r["message_id"] for r in reports}) == 2


async def test_a_duplicated_report_arrives_twice(start_sim: Any) -> None:
    sim = await start_sim(duplicate_report_rate=ALWAYS)
    message_id = (await sim.send("k1")).json()["message_id"]
    reports = await sim.callbacks.wait_for(2)
    assert [r["message_id"] for r in reports] == [message_id, message_id]


async def test_an_out_of_order_report_arrives_after_a_later_message_s(start_sim: Any) -> None:
    sim = await start_sim(out_of_order_report_rate=ALWAYS, late_report_seconds=3600)
    held = (await sim.send("k1")).json()["message_id"]
    await sim.faults(out_of_order_report_rate=0.0)
    later = (await sim.send("k2")).json()["message_id"]
    reports = await sim.callbacks.wait_for(2)
    assert [r["message_id"] for r in reports] == [later, held]


async def test_a_lost_report_never_comes_while_others_do(start_sim: Any) -> None:
    sim = await start_sim(lost_report_rate=ALWAYS)
    await sim.send("k1")
    await sim.faults(lost_report_rate=0.0)
    reported = (await sim.send("k2")).json()["message_id"]
    reports = await sim.callbacks.wait_for(1)
    assert [r["message_id"] for r in reports] == [reported]
    assert len(await sim.messages()) == 2


async def test_a_callback_that_fails_gets_the_report_again(sim: Any) -> None:
    sim.callbacks.refuse_first = [503, 500]
    message_id = (await sim.send("k1")).json()["message_id"]
    [report] = await sim.callbacks.wait_for(1)
    assert report["message_id"] == message_id
    assert sim.callbacks.refuse_first == []
