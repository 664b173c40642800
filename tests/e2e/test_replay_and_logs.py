"""After the run: a full replay of every topic changes nothing, and no log line written
during the suite holds a PIN or a phone number."""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path

import pytest
from devstack.components import Component
from e2e_run import E2ERun, observer_of

pytestmark = pytest.mark.timeout(1800)

PIN = re.compile(r"(?<![0-9A-Za-z])[0-9A-HJ-NP-Z]{7}(?![0-9A-Za-z])")
PHONE = re.compile(r"\+?994\d{9}")
REPLAYED = {"engine": "ENGINE_GROUP", "bank-gateway": "GATEWAY_GROUP", "notifier": "NOTIFIER_GROUP"}


async def test_a_full_replay_decides_pays_and_sends_nothing_new(e2e: E2ERun) -> None:
    observer = observer_of(e2e)
    try:
        before = await _counts(observer)
        components = {c.name: c for c in e2e.plan.components}
        for name, setting in REPLAYED.items():
            c = components[name]
            e2e.supervisor.stop_service(name)  # every instance; one replays
            replay = Component(
                f"{name}-replay", c.module, {**c.env, setting: f"{c.env[setting]}-replay"}
            )
            e2e.supervisor.start(replay)
        await _until_replayed(observer, e2e)
        await asyncio.sleep(10)  # anything sent again would show up by now
        assert await _counts(observer) == before
    finally:
        await observer.close()


async def _counts(observer) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    ends = await observer.end_offsets()
    ledger = await observer.sim("BANK_API_URL", "/_sim/ledger") or []
    sms = await observer.sim("SMS_GATEWAY_URL", "/_sim/messages") or []
    return ends["benefit-decisions"], len(ledger), len(sms)


async def _until_replayed(observer, e2e: E2ERun) -> None:  # type: ignore[no-untyped-def]
    from aiokafka.admin import AIOKafkaAdminClient

    deadline = time.monotonic() + 300
    ends = await observer.end_offsets()
    while time.monotonic() < deadline:
        admin = AIOKafkaAdminClient(bootstrap_servers=e2e.bootstrap)
        await admin.start()
        try:
            done = True
            for name, setting in REPLAYED.items():
                base = next(c for c in e2e.plan.components if c.name == name).env[setting]
                group = f"{base}-replay"
                offsets = await admin.list_consumer_group_offsets(group)
                done &= bool(offsets) and sum(o.offset for o in offsets.values()) > 0
        finally:
            await admin.close()
        if done:
            await asyncio.sleep(5)
            if await observer.end_offsets() == ends:
                return
        await asyncio.sleep(2)
    raise TimeoutError("the replay did not finish")


def test_no_log_line_holds_a_pin_or_a_phone_number(e2e: E2ERun) -> None:
    pins, phones = _personal_data(e2e.dataset)
    leaks = []
    for log in Path(e2e.supervisor.logs).glob("*.log"):
        for n, line in enumerate(log.read_text(errors="replace").splitlines(), 1):
            found = {p for p in PIN.findall(line) if p in pins}
            found |= {p for p in PHONE.findall(line) if p.lstrip("+") in phones}
            if found:
                leaks.append(f"{log.name}:{n}")
    assert leaks == []
    assert pins and phones  # the scan had something to look for


def _personal_data(dataset: Path) -> tuple[set[str], set[str]]:
    pins: set[str] = set()
    phones: set[str] = set()
    with (dataset / "population.jsonl").open() as lines:
        for line in lines:
            person = json.loads(line)
            pins.add(person["pin"])
            if person.get("phone"):
                phones.add(person["phone"].lstrip("+"))
    text = (dataset / "civil_registry.jsonl").read_text()
    pins |= set(PIN.findall(text))
    return pins, phones
