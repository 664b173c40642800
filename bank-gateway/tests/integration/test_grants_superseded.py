"""A grant superseded by a decision naming another recipient or a higher amount (policy.md,
Bank), through the real gateway, bank simulator, Kafka and PostgreSQL: the new recipient
is paid once, the earlier payment opens one recovery case, an unsent one is cancelled and
told; a SIGKILL mid-way and a replay of every decision change nothing."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from decimal import Decimal

from benefits_shared.testing import kill, terminate
from gateway_decisions import grant, pin, superseded
from gateway_rig import GatewayRig, of_type

MOTHER, FATHER = 21, 22  # case 1: paid to the mother, then corrected to the father
RAISED = 31  # case 3: paid 250.00, then corrected to 350.00 (a third child found late)
UNSENT_FIRST, UNSENT_THEN = 41, 42  # case 2: corrected before anything was sent


async def test_a_paid_grant_superseded_pays_the_new_recipient_once_and_recovers_the_earlier(
    rig: GatewayRig,
) -> None:
    to_mother, raised_from = grant(1, MOTHER, "250.00"), grant(3, RAISED, "250.00")
    await rig.decide(to_mother, raised_from)
    gateway = rig.start()
    await rig.wait_for(lambda: rig.settled_is(2), what="the first two grants paid")

    # The bank is down: case 2's grant is stored, its payee's account cannot open.
    rig.bank.faults(error_rate=1.0)
    unsent = grant(2, UNSENT_FIRST, "250.00")
    await rig.decide(unsent)
    await rig.wait_for(lambda: rig.count_is("payments", 1, "case_id = 'B1:case-2'"), what="2")
    corrections = [
        superseded(to_mother, FATHER, "250.00"),
        superseded(raised_from, RAISED, "350.00"),
        superseded(unsent, UNSENT_THEN, "250.00"),
    ]
    await rig.decide(*corrections)
    await rig.wait_for(lambda: rig.count_is("payments", 6), what="the corrections stored")

    # The bank comes back, flaky; the gateway is killed while it pays.
    rig.bank.faults(error_rate=0.3, timeout_rate=0.1)
    await asyncio.sleep(random.uniform(0.1, 1.5))
    kill(gateway)
    gateway = rig.start()
    await rig.wait_for(lambda: rig.settled_is(5), timeout=90, what="the corrections paid")
    await rig.wait_for(lambda: rig.count_is("recoveries", 2), what="two recovery cases")

    # A replay of every decision, and a correction that says again what the last one said.
    await rig.decide(to_mother, raised_from, unsent, *corrections)
    again = superseded(corrections[0], FATHER, "250.00")
    await rig.decide(again)
    await rig.wait_for(lambda: rig.count_is("decisions", 7), what="the repeat applied")
    await rig.wait_for(rig.quiet, what="quiet")
    assert terminate(gateway) == 0

    # The money that moved: each recipient of each case once, the new ones included.
    accounts = {a["iban"]: a["pin"] for a in rig.bank.accounts()}
    credits = rig.bank.credits()
    assert Counter(c["end_to_end_id"] for c in credits).most_common(1)[0][1] == 1
    paid = sorted((accounts[c["iban"]], c["amount"]) for c in credits)
    assert paid == sorted(
        [
            (pin(MOTHER), "250.00"),
            (pin(FATHER), "250.00"),
            (pin(RAISED), "250.00"),
            (pin(RAISED), "350.00"),
            (pin(UNSENT_THEN), "250.00"),
        ]
    )

    # One recovery case per earlier payment, for whom it was paid to.
    recoveries = await rig.rows(
        "SELECT r.case_id, r.recipient_pin, r.amount FROM {s}.recoveries r ORDER BY r.case_id"
    )
    assert recoveries == [
        {"case_id": "B1:case-1", "recipient_pin": pin(MOTHER), "amount": Decimal("250.00")},
        {"case_id": "B1:case-3", "recipient_pin": pin(RAISED), "amount": Decimal("250.00")},
    ]
    cancelled = await rig.rows(
        "SELECT case_id, recipient_pin FROM {s}.payments WHERE state = 'cancelled'"
    )
    assert cancelled == [{"case_id": "B1:case-2", "recipient_pin": pin(UNSENT_FIRST)}]

    events = await rig.on_payments_topic(expected=4 + 2 * 5 + 2 + 1)
    assert len({e["ce_id"] for e in events}) == len(events)
    told = of_type(events, "payment-cancelled")
    assert [(e["case_id"], e["recipient_pin"], e["reason"]) for e in told] == [
        ("B1:case-2", pin(UNSENT_FIRST), "recipient-changed")
    ]
    assert told[0]["cancelled_by"] == corrections[2].decision_id
    opened = of_type(events, "recovery-opened")
    assert sorted((e["case_id"], e["recipient_pin"]) for e in opened) == [
        ("B1:case-1", pin(MOTHER)),
        ("B1:case-3", pin(RAISED)),
    ]
    assert len(of_type(events, "payment-settled")) == 5


async def test_a_grant_superseded_in_flight_is_not_recalled_and_is_recovered_once_settled(
    rig: GatewayRig,
) -> None:
    rig.bank.faults(settlement_delay_seconds=600)  # the bank holds what it accepts
    earlier = grant(5, 51, "250.00")
    await rig.decide(earlier)
    gateway = rig.start()
    await rig.wait_for(lambda: rig.count_is("payments", 1, "state = 'submitted'"), what="sent")

    await rig.decide(superseded(earlier, 52, "250.00"))
    await rig.wait_for(lambda: rig.count_is("payments", 2, "state = 'submitted'"), what="both")
    assert await rig.count("recoveries") == 0  # nothing paid yet, nothing to recover
    rig.bank.faults(settlement_delay_seconds=0)
    await rig.wait_for(lambda: rig.settled_is(2), what="both settled")
    await rig.wait_for(lambda: rig.count_is("recoveries", 1), what="the earlier recovered")
    await rig.wait_for(rig.quiet, what="quiet")
    assert terminate(gateway) == 0

    accounts = {a["iban"]: a["pin"] for a in rig.bank.accounts()}
    assert sorted(accounts[c["iban"]] for c in rig.bank.credits()) == [pin(51), pin(52)]
    recovery = await rig.rows("SELECT recipient_pin, amount FROM {s}.recoveries")
    assert recovery == [{"recipient_pin": pin(51), "amount": Decimal("250.00")}]
    events = await rig.on_payments_topic(expected=2 + 2 * 2 + 1)
    assert of_type(events, "payment-cancelled") == []
