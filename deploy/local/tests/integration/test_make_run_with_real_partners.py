"""``RUN_ONCE=1 make run`` pointed at partners that are not our simulators (no ``/_sim``
listing, a bank that settles slower than the run's quiet time): it counts from our own
topics, waits until every payment the bank took is settled and every SMS handed over,
and says which comparisons with a partner's records did not run (issue #14, item 4).
On the shared stack, in a namespace of its own (removed after)."""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from benefits_shared.local_ports import free_port
from devstack.components import Dataset, free_offset
from devstack.demo import namespace_of
from devstack.flow import Flow, kind_of
from devstack.namespace import Namespace
from devstack.observe import NOTICES, PAYMENTS, Observer
from devstack.teardown import remove
from partner_servers import Simulator, reverse_proxy, serving, simulator

#: Seconds the bank takes to settle, longer than the run's quiet time: a drained test
#: that only watched the topics would stop while payments are still at the bank.
SETTLEMENT_S, QUIET_S = 40, 5
ROOT = Path(__file__).resolve().parents[4]


def data() -> Dataset:
    """A small population; its own seed, so its own namespace (``namespace_of``)."""
    return Dataset(
        persons=400, seed=random.randrange(10**6, 10**7), start=date(2025, 11, 1), days=60
    )


@pytest.fixture
def partners(tmp_path: Path) -> Iterator[tuple[Simulator, Simulator, dict[str, str]]]:
    """The bank and SMS simulators, and the endpoints that hide their ``/_sim``."""
    with ExitStack() as stack:
        bank_port, sms_port = free_port(), free_port()
        bank = stack.enter_context(
            simulator(
                "bank_simulator",
                bank_port,
                {
                    "BANK_SIM_PORT": str(bank_port),
                    "BANK_SIM_SETTLEMENT_DELAY_SECONDS": str(SETTLEMENT_S),
                },
                tmp_path / "bank-simulator.log",
            )
        )
        sms = stack.enter_context(
            simulator(
                "sms_simulator",
                sms_port,
                {"SMS_SIM_PORT": str(sms_port)},
                tmp_path / "sms-simulator.log",
            )
        )
        endpoints = {
            "BANK_API_URL": stack.enter_context(serving(reverse_proxy(bank.url), free_port())),
            "SMS_GATEWAY_URL": stack.enter_context(serving(reverse_proxy(sms.url), free_port())),
        }
        yield bank, sms, endpoints


def run_env(run: Dataset, endpoints: dict[str, str], state: Path) -> dict[str, str]:
    return {
        **os.environ,
        **endpoints,
        "DEVSTACK_STATE_DIR": str(state),
        "RUN_ONCE": "1",
        "RUN_PERSONS": str(run.persons),
        "RUN_SEED": str(run.seed),
        "RUN_DAYS": str(run.days),
        "RUN_PORT_OFFSET": str(free_offset(f"{run.seed}")),
        "RUN_QUIET_SECONDS": str(QUIET_S),
        "RUN_TIMEOUT_SECONDS": "420",
        # Noon in Baku, so that the notices are handed over whenever the test runs.
        "NOTIFIER_FIXED_TIME": "2026-11-23T12:00:00+04:00",
        "RUN_WITHOUT": "",
    }


def test_make_run_against_real_partners_waits_for_every_payment_and_sms(
    partners: tuple[Simulator, Simulator, dict[str, str]],
    kafka_bootstrap: str,
    database_url: str,
    tmp_path: Path,
) -> None:
    bank, sms, endpoints = partners
    run = data()
    ns = namespace_of(run)
    output = tmp_path / "make-run.log"
    try:
        with output.open("wb") as out:
            finished = subprocess.run(
                [sys.executable, "-m", "devstack.cli", "run"],
                cwd=ROOT,
                env=run_env(run, endpoints, tmp_path / "state"),
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=560,
                check=False,
            )
        log = output.read_text(errors="replace")
        summary = log[log.rfind("══ Summary ══") :]
        print(summary or log[-3000:])
        assert finished.returncode == 0, log[-3000:]
        ours, settled_total = asyncio.run(our_records(kafka_bootstrap, ns))
    finally:
        asyncio.run(remove(kafka_bootstrap, database_url, ns))
    assert "\nRECONCILED" in summary
    assert "not run: the bank's ledger against our settled payments" in summary
    assert "not run: the SMS gateway's log against our notices" in summary
    # What the partners got, asked on the simulators' own ports: all of it, and no more.
    ledger, messages = bank.listing("ledger"), sms.listing("messages")
    assert ledger and messages
    assert ours.in_flight == 0
    assert len(ledger) == ours.settled
    assert sum(Decimal(c["amount"]) for c in ledger) == settled_total
    assert {m["idempotency_key"] for m in messages} == set(ours.handed_over)
    # The progress counted them: its last figures, none still at the bank.
    assert f"payments settled {ours.settled:,} · at the bank 0 · SMS {ours.sms:,}" in log


async def our_records(bootstrap: str, ns: Namespace) -> tuple[Flow, Decimal]:
    """What our topics say: payments and notices, and the sum of the payments settled."""
    observer = Observer(bootstrap, {}, ns)
    try:
        payments = await observer.read(PAYMENTS.name)
        notices = await observer.read(NOTICES.name)
    finally:
        await observer.close()
    flow = Flow()
    flow.add([*payments, *notices])
    settled = {
        r.value["payment_id"]: Decimal(r.value["amount"])
        for r in payments
        if kind_of(r) == "payment-settled"
    }
    return flow, sum(settled.values(), Decimal(0))
