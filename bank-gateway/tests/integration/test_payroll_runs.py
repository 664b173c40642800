"""The monthly payroll through the real gateway and bank simulator: arrears, repeats, ops."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits_shared.testing import terminate
from gateway_decisions import allowance, ended_by_death, grant, pin
from gateway_rig import GatewayRig, of_type


async def test_a_payroll_run_repeated_for_a_month_pays_nothing_new(rig: GatewayRig) -> None:
    await rig.decide(allowance("MSE-1", person=1, group="II", start=date(2026, 3, 10)))
    await rig.tick(date(2026, 4, 1))
    gateway = rig.start()
    await rig.wait_for(lambda: rig.settled_is(1), what="March paid")
    # The on-demand run of the month the clock already ran, then again, then a later tick.
    assert "2026-03: 0 new payments" in rig.payroll("2026-03")
    assert "2026-03: 0 new payments" in rig.payroll("2026-03")
    await rig.tick(date(2026, 4, 2))
    # April on demand (it has ended by the system clock), then repeated.
    assert "2026-04: 1 new payments, 240.00 AZN" in rig.payroll("2026-04")
    assert "2026-04: 0 new payments" in rig.payroll("2026-04")
    await rig.wait_for(lambda: rig.settled_is(2), what="April paid")
    await rig.wait_for(rig.quiet, what="quiet")
    assert terminate(gateway) == 0

    # 240.00 × 22 / 31 = 170.3225… → 170.32 for 10–31 March; April in full.
    assert sorted(Decimal(c["amount"]) for c in rig.bank.credits()) == [
        Decimal("170.32"),
        Decimal("240.00"),
    ]
    runs = await rig.rows("SELECT month, trigger, payments FROM {s}.payroll_runs ORDER BY run_id")
    assert [(r["trigger"], r["payments"]) for r in runs] == [
        ("clock", 1),
        ("manual", 0),
        ("manual", 0),
        ("manual", 1),
        ("manual", 0),
    ]


async def test_a_late_death_ends_payments_and_opens_recovery_for_days_already_paid(
    rig: GatewayRig,
) -> None:
    assigned = allowance("MSE-7", person=7, group="I", start=date(2026, 1, 10))
    await rig.decide(assigned)
    await rig.tick(date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1))
    gateway = rig.start()
    await rig.wait_for(lambda: rig.settled_is(3), what="January to March paid")

    await rig.decide(
        ended_by_death(assigned, died=date(2026, 2, 14), paid_through=date(2026, 3, 31))
    )
    await rig.tick(date(2026, 5, 1))
    await rig.wait_for(lambda: rig.count_is("recoveries", 2), what="recovery cases")
    await rig.wait_for(rig.quiet, what="quiet")
    assert terminate(gateway) == 0

    # Paid: 330.00 × 22 / 31 = 234.19 (January), 330.00 (February), 330.00 (March); nothing after.
    assert sorted(Decimal(c["amount"]) for c in rig.bank.credits()) == [
        Decimal("234.19"),
        Decimal("330.00"),
        Decimal("330.00"),
    ]
    recoveries = await rig.rows(
        "SELECT month, amount, cardinality(days) AS days FROM {s}.recoveries ORDER BY month"
    )
    # February: 28 days paid 330.00, 14 still due (165.00); March: all 31 days.
    assert [(r["month"], r["amount"], r["days"]) for r in recoveries] == [
        (date(2026, 2, 1), Decimal("165.00"), 14),
        (date(2026, 3, 1), Decimal("330.00"), 31),
    ]
    events = of_type(await rig.on_payments_topic(expected=9), "recovery-opened")
    assert sorted((e["period_start"], e["period_end"], e["amount"]) for e in events) == [
        ("2026-02-15", "2026-02-28", "165.00"),
        ("2026-03-01", "2026-03-31", "330.00"),
    ]
    assert {e["recipient_pin"] for e in events} == {pin(7)}


async def test_a_rejected_payment_reaches_ops_with_its_reason_code(rig: GatewayRig) -> None:
    rig.bank.mark_deceased(pin(3))  # the bank will refuse credits to them: MD07
    await rig.decide(
        grant(1, person=3, amount="350.00", benefit="B3"), grant(2, person=4, amount="250.00")
    )
    gateway = rig.start()
    await rig.wait_for(lambda: rig.count_is("rejections", 1), what="the rejection")
    await rig.wait_for(lambda: rig.settled_is(1), what="the other grant")
    await rig.wait_for(rig.quiet, what="quiet")
    assert terminate(gateway) == 0

    rejected = await rig.rows("SELECT case_id, reason_code, amount FROM {s}.rejections")
    assert rejected == [
        {"case_id": "B3:case-1", "reason_code": "MD07", "amount": Decimal("350.00")}
    ]
    events = await rig.on_payments_topic(expected=6)
    assert [(e["case_id"], e["reason_code"]) for e in of_type(events, "payment-rejected")] == [
        ("B3:case-1", "MD07")
    ]
    assert [e["case_id"] for e in of_type(events, "payment-settled")] == ["B1:case-2"]
    assert [c["amount"] for c in rig.bank.credits()] == ["250.00"]
