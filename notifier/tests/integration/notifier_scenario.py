"""Persons, decisions and accounts for the notifier's integration tests, built with the
contracts exactly as the registry connectors, the engine and the bank gateway publish them."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from benefits_shared.circuit_breaker import CircuitBreaker
from benefits_shared.clock import BAKU
from benefits_shared.contracts import Contract
from benefits_shared.contracts.decisions import BenefitDecided, Entitlement, RatePeriod, Recipient
from benefits_shared.contracts.payments import AccountOpened
from benefits_shared.contracts.persons import Language, PersonRecord
from benefits_shared.kafka.consumer_loop import Delivery
from benefits_shared.retry_policies import RetryPolicy
from benefits_shared.service_runtime import Received
from notifier.entrypoints.send_worker import SendPolicy
from notifier.pacing import Pacer
from notifier.send_window import SendWindow

LANGUAGES: tuple[Language, ...] = ("az", "ru", "en")
#: When the test's events were published (the handler reads its own clock, not this).
PUBLISHED = datetime(2026, 3, 3, 11, tzinfo=BAKU)
LIMIT_SECONDS = 60  # a bound on waiting, not a measurement
RATES = (
    RatePeriod(from_month=date(2023, 1, 1), monthly_rate=Decimal("220.00")),
    RatePeriod(from_month=date(2026, 1, 1), monthly_rate=Decimal("240.00")),
)
CHILD_RATES = (
    RatePeriod(from_month=date(2023, 1, 1), monthly_rate=Decimal("200.00")),
    RatePeriod(from_month=date(2026, 1, 1), monthly_rate=Decimal("220.00")),
)


def pin_of(i: int) -> str:
    return f"5XH8{i:03d}"


def phone_of(i: int) -> str:
    return f"+99450{i:07d}"


def person(
    i: int,
    *,
    phone: str | None = "",
    died: date | None = None,
    seq: int = 0,
    language: Language | None = None,
) -> PersonRecord:
    return PersonRecord(
        pin=pin_of(i),
        given_name="Leyla",
        surname="Məmmədova",
        birth_date=date(1990, 1, 1),
        sex="F",
        phone=phone_of(i) if phone == "" else phone,
        language=language or LANGUAGES[i % 3],
        date_of_death=died,
        registry_seq=seq,
    )


def decision(
    i: int, benefit: str = "B1", outcome: str = "assigned", **extra: Any
) -> BenefitDecided:
    """Decision ``i`` for person ``i`` (snapshot: the phone and language of ``person(i)``)."""
    body: dict[str, Any] = {
        "decision_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"decision-{benefit}-{outcome}-{i}")),
        "case_id": f"{benefit}:case-{i}",
        "benefit": benefit,
        "outcome": outcome,
        "decided_on": date(2026, 3, 2),
        "recipient": Recipient(
            pin=pin_of(i),
            full_name="Leyla Məmmədova",
            birth_date=date(1990, 1, 1),
            phone=phone_of(i),
            language=LANGUAGES[i % 3],
        ),
        "rule_version": "test/1",
        "parameters": {},
        "facts": {},
        "reason": "test",
    }
    if benefit in ("B1", "B3"):
        body["amount"] = Decimal("250.00") if benefit == "B1" else Decimal("350.00")
    elif outcome == "reexamination_due":
        body["entitlement"] = Entitlement(
            group="CHILD", start=date(2024, 5, 1), end=date(2026, 4, 12), rates=CHILD_RATES
        )
    else:
        end = date(2026, 2, 28) if outcome == "ended" else None
        body["entitlement"] = Entitlement(group="II", start=date(2025, 6, 1), end=end, rates=RATES)
    return BenefitDecided.model_validate({**body, **extra})


def account(i: int) -> AccountOpened:
    return AccountOpened(
        recipient_pin=pin_of(i),
        account_id=f"acc-{i}",
        account_last4=f"{4000 + i}",
        bank_name="Kapital Partner Bank",
    )


def mixed_decision(i: int) -> BenefitDecided:
    """B1, B2 assigned, B3, B2 ended and B2 re-examination, in turn."""
    kinds = [
        ("B1", "assigned"),
        ("B2", "assigned"),
        ("B3", "assigned"),
        ("B2", "ended"),
        ("B2", "reexamination_due"),
    ]
    benefit, outcome = kinds[i % len(kinds)]
    return decision(i, benefit, outcome)


def unhindered(idle_seconds: float, window: SendWindow | None = None) -> SendPolicy:
    """A sender's policy that holds nothing back: a pacer and a breaker that never stop a
    hand-over, quick retries; ``idle_seconds`` between looks that find nothing."""
    return SendPolicy(
        Pacer(1000.0, time.monotonic),
        CircuitBreaker(100, 0.0, time.monotonic),
        RetryPolicy(0.001, 0.001),
        timedelta(hours=1),
        idle_seconds,
        window=window or SendWindow(1, time.monotonic),
    )


def deliveries(*payloads: Contract) -> Sequence[Delivery[Received]]:
    """The events as the notifier's consumer hands them to its handler."""
    return [
        Delivery(None, Received(p.to_cloudevent("/test", PUBLISHED, None), p)) for p in payloads
    ]


async def until(check: Callable[[], Awaitable[bool]]) -> None:
    """Until ``check`` holds; fails after ``LIMIT_SECONDS``."""
    deadline = time.monotonic() + LIMIT_SECONDS
    while not await check():
        assert time.monotonic() < deadline, "not reached in time"
        await asyncio.sleep(0.05)
