"""Never twice, never lost: a faulty bank and a gateway killed with SIGKILL again and again."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import date
from decimal import Decimal
from importlib.resources import files

from bank_gateway.bench_rig import Simulator
from benefits_shared.testing import kill, terminate
from gateway_decisions import allowance, grant, pin
from gateway_rig import GatewayRig, of_type
from lxml import etree

KILLS = 4
MAX_LIVES = 10
MOTHERS = range(100, 140)  # 40 mothers, the first 20 with two children
INFORMANTS = (100, 101, 102, 103, 200, 201, 202, 203, 204, 205)  # four are mothers too
ALLOWANCE_HOLDERS = range(300, 310)


def _xsd() -> etree.XMLSchema:
    """The official XSD, as the sepaxml package ships it."""
    with files("sepaxml").joinpath("schemas", "pain.001.001.09.xsd").open("rb") as xsd:
        return etree.XMLSchema(etree.parse(xsd))


def _decisions() -> list:  # type: ignore[type-arg]
    births = [grant(n, person=m, amount="250.00") for n, m in enumerate(MOTHERS)]
    births += [grant(100 + n, person=m, amount="350.00") for n, m in enumerate(MOTHERS[:20])]
    funerals = [grant(n, person=p, amount="350.00", benefit="B3") for n, p in enumerate(INFORMANTS)]
    allowances = [
        allowance(f"MSE-{p}", person=p, group="II", start=date(2026, 1, 10))
        for p in ALLOWANCE_HOLDERS
    ]
    return births + funerals + allowances


async def test_every_due_payment_settles_exactly_once_despite_bank_faults_and_kills(
    rig: GatewayRig, simulator: Simulator
) -> None:
    simulator.faults(error_rate=0.3, timeout_rate=0.1, settlement_delay_seconds=1.5)
    await rig.decide(*_decisions())
    await rig.tick(date(2026, 2, 1), date(2026, 3, 1))  # January and February of B2
    expected = 60 + 10 + 2 * 10
    dice = random.Random()
    progress: list[tuple[int, int, int]] = []
    # At least KILLS kills, and more (up to MAX_LIVES) until one lands while payments settle:
    # how far a short life gets depends on the bank's dice and the machine's speed.
    for life in range(1, MAX_LIVES + 1):
        gateway = rig.start()
        await rig.started(lives=life)
        await asyncio.sleep(dice.uniform(0.2, 2.5) + (life - 1) * 0.5)  # later lives longer
        kill(gateway)
        progress.append(await _progress(rig))
        if life >= KILLS and _landed_mid_work(progress, expected):
            break
    print("progress at each kill (accounts open, documents, settled):", progress)
    assert _landed_mid_work(progress, expected), "no kill landed mid-work"
    gateway = rig.start()
    await rig.started(lives=len(progress) + 1)  # its SIGTERM handler is in place
    await rig.wait_for(lambda: rig.settled_is(expected), timeout=120, what="all settled")
    await rig.wait_for(rig.quiet, what="quiet")
    assert terminate(gateway) == 0

    # The money that moved: each payment once, as we recorded it.
    credits = simulator.credits()
    ours = await rig.rows("SELECT end_to_end_id, amount, benefit FROM {s}.payments")
    assert len(ours) == expected
    assert Counter(c["end_to_end_id"] for c in credits).most_common(1)[0][1] == 1
    assert {c["end_to_end_id"]: Decimal(c["amount"]) for c in credits} == {
        r["end_to_end_id"]: r["amount"] for r in ours
    }
    # 240.00 × 22 / 31 = 170.32 for 10–31 January, then February in full, per holder.
    assert sorted(r["amount"] for r in ours if r["benefit"] == "B2") == (
        [Decimal("170.32")] * 10 + [Decimal("240.00")] * 10
    )

    # Nobody has two accounts, at the bank or here.
    people = {pin(p) for p in [*MOTHERS, *INFORMANTS, *ALLOWANCE_HOLDERS]}
    at_bank = [a["pin"] for a in simulator.accounts()]
    assert sorted(at_bank) == sorted(people)
    assert await rig.count("accounts", "state = 'open'") == len(people)
    # The faults were met: many account requests needed more than one attempt.
    assert await rig.count("accounts", "attempts > 1") > 0

    # Every document we sent is a valid pain.001.001.09.
    schema = _xsd()
    documents = await rig.rows("SELECT document FROM {s}.documents")
    assert len(documents) >= expected // 7
    assert all(schema.validate(etree.fromstring(d["document"])) for d in documents)

    # Each settlement told once on the payments topic.
    events = await rig.on_payments_topic(expected=len(people) + 2 * expected)
    settled = of_type(events, "payment-settled")
    assert sorted(e["payment_id"] for e in settled) == sorted(
        r["payment_id"] for r in await rig.rows("SELECT payment_id FROM {s}.payments")
    )
    assert len({e["ce_id"] for e in events}) == len(events)


def _landed_mid_work(progress: list[tuple[int, int, int]], expected: int) -> bool:
    """A kill came while payments were in flight: documents sent, not every payment settled.
    (A document's payments settle together, so "some settled" alone is a narrow window: a
    loaded machine can jump from none to all between two kills.)"""
    return any(documents > 0 and settled < expected for _, documents, settled in progress)


async def _progress(rig: GatewayRig) -> tuple[int, int, int]:
    """Accounts open, documents stored, payments settled (nothing yet before migrations)."""
    if not await rig.scalar("SELECT to_regclass('{s}.payments') IS NOT NULL AS value"):
        return (0, 0, 0)
    return (
        await rig.count("accounts", "state = 'open'"),
        await rig.count("documents"),
        await rig.settled(),
    )
