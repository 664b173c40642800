"""The bank's slots: a bounded number of calls at once, none waiting for another, none
claimed while the bank's circuit is open; a slow call gives its slot back, and the calls
in flight, slow ones included, stay within their own bound."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime

import pytest
from bank_gateway import bank_calls
from bank_gateway.bank_calls import BankCalls
from benefits_shared.circuit_breaker import CircuitBreaker
from benefits_shared.clock import BAKU, FixedClock
from benefits_shared.retry_policies import RetryPolicy

CLOCK = FixedClock(datetime(2026, 1, 5, 10, tzinfo=BAKU))


def calls(slots: int) -> BankCalls:
    return BankCalls(slots, RetryPolicy(0.5, 8.0), CLOCK)


async def test_a_hanging_call_holds_one_slot_and_the_others_finish() -> None:
    pool, hang, done = calls(4), asyncio.Event(), []

    async def claim(limit: int) -> Sequence[int]:
        return list(range(limit))

    async def call(item: int) -> None:
        if item == 0:
            await hang.wait()
        done.append(item)

    assert await pool.start_due(claim, call) == 4
    while len(done) < 3:
        await asyncio.sleep(0)
    assert sorted(done) == [1, 2, 3]  # the round did not wait for item 0
    assert pool.reserve() == 3  # the hanging call holds one slot, the rest are free
    hang.set()
    await pool.drain()
    assert done[-1] == 0


async def test_no_more_calls_are_in_flight_than_there_are_slots() -> None:
    pool, gate = calls(2), asyncio.Event()
    in_flight, most, claimed = 0, 0, []

    async def claim(limit: int) -> Sequence[int]:
        claimed.append(limit)
        return list(range(limit))

    async def call(_: int) -> None:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await gate.wait()
        in_flight -= 1

    assert await pool.start_due(claim, call) == 2
    full = asyncio.create_task(pool.start_due(claim, call))  # waits for a free slot
    await asyncio.sleep(0)
    assert not full.done() and claimed == [2]
    gate.set()
    assert await full == 1  # woken by a freed slot, it claimed nothing itself
    await pool.drain()
    assert await pool.start_due(claim, call) == 2
    await pool.drain()
    assert most == 2 and claimed == [2, 2]


async def test_slots_not_used_by_a_claim_are_given_back() -> None:
    pool = calls(5)

    async def two(limit: int) -> Sequence[int]:
        return [1, 2][:limit]

    async def call(_: int) -> None:
        return None

    assert await pool.start_due(two, call) == 2
    await pool.drain()
    assert pool.reserve() == 5


async def test_a_failed_claim_gives_its_slots_back() -> None:
    pool = calls(3)

    async def broken(_: int) -> Sequence[int]:
        raise OSError("database gone")

    async def call(_: int) -> None:
        return None

    with pytest.raises(OSError, match="database gone"):
        await pool.start_due(broken, call)
    assert pool.reserve() == 3


async def test_nothing_is_claimed_while_the_circuit_is_open_and_one_probe_when_half_open() -> None:
    ticker = Ticker()
    breaker = CircuitBreaker(1, open_seconds=0.05, now=ticker)
    pool = BankCalls(4, RetryPolicy(0.5, 8.0), CLOCK, breaker)
    claimed: list[int] = []

    async def claim(limit: int) -> Sequence[int]:
        claimed.append(limit)
        return list(range(limit))

    async def call(_: int) -> None:
        return None

    breaker.failed()  # open: the bank failed
    assert await pool.start_due(claim, call) == 1  # waited (at most the open time): busy
    assert claimed == []
    ticker.now += 0.05  # half-open: one probe may go
    assert await pool.start_due(claim, call) == 1
    await pool.drain()
    assert claimed == [1]
    breaker.succeeded()
    assert await pool.start_due(claim, call) == 4
    await pool.drain()
    assert claimed == [1, 4]


async def test_slow_calls_give_their_slots_back_up_to_the_bound_of_calls_in_flight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bank_calls, "SLOW_CALL_SECONDS", 0.01)
    pool, hang = BankCalls(2, RetryPolicy(0.5, 8.0), CLOCK, most_in_flight=5), asyncio.Event()
    in_flight, most = 0, 0

    async def claim(limit: int) -> Sequence[int]:
        return list(range(limit))

    async def call(_: int) -> None:  # every call hangs: each gives its slot back when slow
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await hang.wait()
        in_flight -= 1

    started = 0
    while started < 5:
        started += await pool.start_due(claim, call)
        await asyncio.sleep(0.02)  # the calls become slow
    assert started == 5 and in_flight == 5  # more than the 2 slots, as they hung
    assert pool.reserve() == 0  # the bound of calls in flight holds, slots free or not
    hang.set()
    await pool.drain()
    assert most == 5
    assert pool.reserve() == 2  # every slot back


async def test_a_call_gives_its_slot_back_once_answered_while_its_outcome_is_written() -> None:
    pool = BankCalls(2, RetryPolicy(0.5, 8.0), CLOCK, most_in_flight=3)
    answers, writes = asyncio.Event(), asyncio.Event()
    answered = []

    async def bank(item: int) -> int:
        await answers.wait()
        return item

    async def claim(limit: int) -> Sequence[int]:
        return list(range(limit))

    async def call(item: int) -> None:
        answered.append(await pool.answer(bank(item)))
        await writes.wait()  # the outcome's transaction

    assert await pool.start_due(claim, call) == 2
    await asyncio.sleep(0)
    assert pool.reserve() == 0  # both slots held while the bank works on the calls
    answers.set()
    while len(answered) < 2:
        await asyncio.sleep(0)
    assert pool.reserve() == 1  # the slots are back; the writes count in flight (3 at most)
    pool.release(1)
    writes.set()
    await pool.drain()
    assert pool.reserve() == 2


async def test_a_failed_answer_gives_the_slot_back_too() -> None:
    pool = BankCalls(1, RetryPolicy(0.5, 8.0), CLOCK, most_in_flight=2)
    written = asyncio.Event()

    async def refused() -> None:
        raise RuntimeError("bank said no")

    async def claim(limit: int) -> Sequence[int]:
        return list(range(limit))

    async def call(_: int) -> None:
        with pytest.raises(RuntimeError):
            await pool.answer(refused())
        await written.wait()

    assert await pool.start_due(claim, call) == 1
    await asyncio.sleep(0)
    assert pool.reserve() == 1
    written.set()
    await pool.drain()


class Ticker:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_wait_after_a_failure_grows_only_while_the_bank_fails_generally() -> None:
    breaker = CircuitBreaker(4, open_seconds=30, now=Ticker(), window=20)
    pool = BankCalls(4, RetryPolicy(0.5, 8.0), CLOCK, breaker)
    for _ in range(15):
        breaker.succeeded()
    breaker.failed()  # one failure among answers: the call's own bad luck
    assert all(0.25 <= pool.retry_delay(attempts=5) <= 0.5 for _ in range(50))
    breaker.failed()  # two of the last twenty: half of what opens the circuit
    assert all(4.0 <= pool.retry_delay(attempts=5) <= 8.0 for _ in range(50))
    assert 2.0 <= pool.retry_delay(attempts=5, retry_after=2.0) <= 2.2  # what the bank asked
