"""B2 days due to a holder who died before they were paid (policy.md, B2), through the real
gateway, bank simulator, Kafka and PostgreSQL: never sent to the bank, owed to the estate
once (stored and told on ``payments``), however often the payroll runs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits_shared.testing import terminate
from gateway_decisions import allowance, holder_died, pin
from gateway_rig import GatewayRig, of_type

LATE, EARLY = 9, 10  # the death reported after February was paid; before anything was


async def test_the_days_of_a_holder_who_died_are_owed_to_the_estate_once_never_sent(
    rig: GatewayRig,
) -> None:
    late = allowance("MSE-9", LATE, group="I", start=date(2026, 1, 10))
    early = allowance("MSE-10", EARLY, group="I", start=date(2026, 1, 10))
    await rig.decide(late, early, holder_died(early, date(2026, 2, 10)))
    await rig.tick(date(2026, 2, 1), date(2026, 3, 1))
    gateway = rig.start()
    await rig.wait_for(lambda: rig.settled_is(2), what="late's January and February paid")
    await rig.wait_for(lambda: rig.count_is("owed_to_estate", 2), what="early's days owed")

    # The late one dies; from now on the bank would refuse credits to either (MD07).
    for person in (LATE, EARLY):
        rig.bank.mark_deceased(pin(person))
    await rig.decide(holder_died(late, date(2026, 3, 15)))
    await rig.tick(date(2026, 4, 1))
    await rig.wait_for(lambda: rig.count_is("owed_to_estate", 3), what="late's March owed")
    # The payroll repeated: on demand for March twice, the clock again, a later month.
    assert "2026-03: 0 new payments" in rig.payroll("2026-03")
    assert "2026-03: 0 new payments" in rig.payroll("2026-03")
    await rig.tick(date(2026, 4, 1), date(2026, 5, 1))
    await rig.wait_for(lambda: rig.count_is("payroll_runs", 6), what="every run done")
    await rig.wait_for(rig.quiet, what="quiet")
    assert terminate(gateway) == 0

    # Sent to the bank: only what the late one was paid while alive; nothing refused.
    assert sorted(c["amount"] for c in rig.bank.credits()) == ["234.19", "330.00"]
    assert await rig.count("rejections") == 0
    assert await rig.count("payments") == 2
    owed = await rig.rows(
        "SELECT case_id, deceased_pin, month, amount, cardinality(days) AS days"
        " FROM {s}.owed_to_estate ORDER BY case_id, month"
    )
    # Group I, 330.00 a month in 2026: 22 of 31 January days 234.19; 10 of 28 February
    # days 117.86; 15 of 31 March days 159.68.
    assert [
        (o["case_id"], o["deceased_pin"], o["month"], o["amount"], o["days"]) for o in owed
    ] == [
        ("B2:MSE-10", pin(EARLY), date(2026, 1, 1), Decimal("234.19"), 22),
        ("B2:MSE-10", pin(EARLY), date(2026, 2, 1), Decimal("117.86"), 10),
        ("B2:MSE-9", pin(LATE), date(2026, 3, 1), Decimal("159.68"), 15),
    ]
    events = of_type(await rig.on_payments_topic(expected=2 + 2 * 2 + 3), "owed-to-estate")
    told = sorted((e["case_id"], e["period_start"], e["period_end"], e["amount"]) for e in events)
    assert told == [
        ("B2:MSE-10", "2026-01-10", "2026-01-31", "234.19"),
        ("B2:MSE-10", "2026-02-01", "2026-02-10", "117.86"),
        ("B2:MSE-9", "2026-03-01", "2026-03-15", "159.68"),
    ]
    for event in events:  # keyed by the keyed hash of the deceased's PIN, never the PIN
        assert pin(LATE).encode() not in event["key"] and pin(EARLY).encode() not in event["key"]
    log = rig.log.read_text() if rig.log else ""
    assert pin(LATE) not in log and pin(EARLY) not in log


async def test_days_the_bank_refused_because_the_holder_had_died_are_owed_to_the_estate(
    rig: GatewayRig,
) -> None:
    # The bank knows of the death before the engine says so: January is refused (MD07).
    first = allowance("MSE-12", 12, group="I", start=date(2026, 1, 10))
    # The death is known, but February was already on its way when the decision came.
    second = allowance("MSE-13", 13, group="I", start=date(2026, 1, 10))
    await rig.decide(first, second)
    rig.bank.mark_deceased(pin(12))
    rig.bank.faults(settlement_delay_seconds=600)  # the bank holds what it accepts
    await rig.tick(date(2026, 2, 1))
    gateway = rig.start()
    await rig.wait_for(lambda: rig.count_is("payments", 2, "state = 'submitted'"), what="sent")
    await rig.decide(holder_died(second, date(2026, 1, 31)))
    rig.bank.mark_deceased(pin(13))
    await rig.wait_for(lambda: rig.count_is("cases", 1, "payee_died_on IS NOT NULL"), what="13")
    rig.bank.faults(settlement_delay_seconds=0)
    await rig.wait_for(lambda: rig.count_is("rejections", 2), what="both refused: MD07")
    await rig.wait_for(lambda: rig.count_is("owed_to_estate", 1), what="13's January owed")
    assert await rig.count("owed_to_estate", "case_id = 'B2:MSE-12'") == 0  # alive, to us

    await rig.decide(holder_died(first, date(2026, 1, 31)))
    await rig.wait_for(lambda: rig.count_is("owed_to_estate", 2), what="12's January owed")
    await rig.tick(date(2026, 3, 1))  # nothing more: both entitlements ended with January
    await rig.decide(holder_died(first, date(2026, 1, 31)), holder_died(second, date(2026, 1, 31)))
    await rig.wait_for(lambda: rig.count_is("payroll_runs", 2), what="February's run")
    await rig.wait_for(rig.quiet, what="quiet")
    assert terminate(gateway) == 0

    assert rig.bank.credits() == []
    owed = await rig.rows(
        "SELECT o.case_id, o.amount, cardinality(o.days) AS days, o.payment_id = p.payment_id"
        " AS refused FROM {s}.owed_to_estate o JOIN {s}.payments p USING (case_id)"
        " ORDER BY o.case_id"
    )
    # 330.00 × 22 / 31 = 234.19 for 10–31 January, each the days of the refused payment.
    assert owed == [
        {"case_id": "B2:MSE-12", "amount": Decimal("234.19"), "days": 22, "refused": True},
        {"case_id": "B2:MSE-13", "amount": Decimal("234.19"), "days": 22, "refused": True},
    ]
    events = await rig.on_payments_topic(expected=2 + 2 + 2 + 2)
    told = of_type(events, "owed-to-estate")
    assert sorted(e["case_id"] for e in told) == ["B2:MSE-12", "B2:MSE-13"]
    assert all(e["payment_id"] and "MD07" in e["reason"] for e in told)
